using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmStart;

/// <summary>vm.start takes no data: the target names the VM.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmStartPayload")]
public sealed record VmStartPayload : TaskPayload
{
    public const string Action = "vm.start";
}
