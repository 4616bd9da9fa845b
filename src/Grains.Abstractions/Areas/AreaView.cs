namespace OrleansCloud.Areas;

/// <summary>
/// An area as its grain holds it. <see cref="Discovered"/> marks an area that a host reported before
/// any administrator created it; it carries the <see cref="AreaDefaults"/> until changed.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.AreaView")]
public sealed record AreaView(
    [property: Id(0)] string Area,
    [property: Id(1)] AreaSettings Settings,
    [property: Id(2)] bool Discovered,
    [property: Id(3)] int VlansInUse,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] long Version);
