using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmDelete;

/// <summary>vm.delete takes no data: the target names the VM.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmDeletePayload")]
public sealed record VmDeletePayload : TaskPayload
{
    public const string Action = "vm.delete";
}
