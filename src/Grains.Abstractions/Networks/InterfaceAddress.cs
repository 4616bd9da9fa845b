namespace OrleansCloud.Networks;

/// <summary>An interface's place on a network: its address from the subnet and a MAC derived from its owner.</summary>
[GenerateSerializer, Immutable, Alias("oc.InterfaceAddress")]
public sealed record InterfaceAddress(
    [property: Id(0)] string NetworkId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string Address,
    [property: Id(3)] string Mac,
    [property: Id(4)] int Vlan,
    [property: Id(5)] string Subnet,
    [property: Id(6)] string Gateway);
