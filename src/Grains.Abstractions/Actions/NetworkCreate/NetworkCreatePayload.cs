using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.NetworkCreate;

/// <summary>network.create: a name unique in the tenant, its area, and optionally its VLAN, subnet and gateway (allocated when left out).</summary>
[GenerateSerializer, Immutable, Alias("oc.NetworkCreatePayload")]
public sealed record NetworkCreatePayload(
    [property: Id(0)] string Name,
    [property: Id(1)] string Area,
    [property: Id(2)] int? Vlan,
    [property: Id(3)] string? Subnet,
    [property: Id(4)] string? Gateway) : TaskPayload
{
    public const string Action = "network.create";

    /// <summary>The prefix of a subnet carved from the area's pool when none is given.</summary>
    public const int AllocatedPrefix = 24;
}
