namespace OrleansCloud.Hosts;

/// <summary>What a granted capacity claim got: the storage pool its disk goes on (null when the host reports no pools).</summary>
[GenerateSerializer, Immutable, Alias("oc.CapacityGrant")]
public sealed record CapacityGrant([property: Id(0)] string? Pool)
{
    public static readonly CapacityGrant NoPool = new((string?)null);
}
