namespace OrleansCloud.Areas;

/// <summary>A partial change of an area: null fields stay as they are; <see cref="ClearPublicSubnet"/> removes the public subnet.</summary>
[GenerateSerializer, Immutable, Alias("oc.AreaChange")]
public sealed record AreaChange(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] VlanRange? VlanRange = null,
    [property: Id(3)] string? SubnetPool = null,
    [property: Id(4)] string? PublicSubnet = null,
    [property: Id(5)] bool ClearPublicSubnet = false);
