using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmStop;

/// <summary>vm.stop: a graceful shutdown, or with <see cref="Force"/> a power-off at once.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmStopPayload")]
public sealed record VmStopPayload([property: Id(0)] bool Force = false) : TaskPayload
{
    public const string Action = "vm.stop";
}
