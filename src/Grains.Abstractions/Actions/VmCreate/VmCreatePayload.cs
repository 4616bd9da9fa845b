using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Actions.VmCreate;

/// <summary>vm.create: the enriched spec of the new VM and the tenant networks (by name) its interfaces join, in order.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmCreatePayload")]
public sealed record VmCreatePayload([property: Id(0)] VmSpec Spec, [property: Id(1)] IReadOnlyList<string>? Networks = null) : TaskPayload
{
    public const string Action = "vm.create";

    /// <summary>At most this many interfaces per VM.</summary>
    public const int MaxInterfaces = 8;
}
