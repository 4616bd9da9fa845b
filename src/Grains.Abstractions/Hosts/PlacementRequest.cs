using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>What an election must satisfy: the amount, the capabilities, optionally an area, and the storage pool the disk should go on (see <see cref="CapacityClaim.Pool"/>).</summary>
[GenerateSerializer, Immutable, Alias("oc.PlacementRequest")]
public sealed record PlacementRequest(
    [property: Id(0)] ResourceAmount Amount,
    [property: Id(1)] IReadOnlyList<string> RequiredCapabilities,
    [property: Id(2)] string? Area,
    [property: Id(3)] IReadOnlyList<string>? ExcludedHosts = null,
    [property: Id(4)] string? Pool = null);
