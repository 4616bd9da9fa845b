using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmReboot;

/// <summary>vm.reboot: graceful with a hard reset after a timeout, or with <see cref="Force"/> a reset at once.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmRebootPayload")]
public sealed record VmRebootPayload([property: Id(0)] bool Force = false) : TaskPayload
{
    public const string Action = "vm.reboot";
}
