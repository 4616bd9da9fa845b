namespace OrleansCloud.Hosts;

/// <summary>
/// What a granted capacity claim got: the storage pool its disk goes on (null when the host reports no
/// pools), and the area of the host, so the saga knows where its resource landed without asking again.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.CapacityGrant")]
public sealed record CapacityGrant([property: Id(0)] string? Pool, [property: Id(1)] string? Area = null)
{
    public static readonly CapacityGrant NoPool = new((string?)null);
}
