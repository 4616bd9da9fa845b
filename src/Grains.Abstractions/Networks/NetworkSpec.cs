namespace OrleansCloud.Networks;

/// <summary>What a network is made with: its name in the tenant, its area, its VLAN and subnet, its gateway.</summary>
[GenerateSerializer, Immutable, Alias("oc.NetworkSpec")]
public sealed record NetworkSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Area,
    [property: Id(2)] int Vlan,
    [property: Id(3)] string Subnet,
    [property: Id(4)] string Gateway);
