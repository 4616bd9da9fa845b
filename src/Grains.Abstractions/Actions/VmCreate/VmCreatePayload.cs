using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Actions.VmCreate;

/// <summary>vm.create: the enriched spec of the new VM.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmCreatePayload")]
public sealed record VmCreatePayload([property: Id(0)] VmSpec Spec) : TaskPayload
{
    public const string Action = "vm.create";
}
