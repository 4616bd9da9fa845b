namespace OrleansCloud.Areas;

/// <summary>What an administrator sets on an area. <see cref="PublicSubnet"/> is optional.</summary>
[GenerateSerializer, Immutable, Alias("oc.AreaSettings")]
public sealed record AreaSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] VlanRange VlanRange,
    [property: Id(3)] string SubnetPool,
    [property: Id(4)] string? PublicSubnet);
