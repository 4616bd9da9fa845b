using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>What an election must satisfy: the amount, the capabilities, optionally an area.</summary>
[GenerateSerializer, Immutable, Alias("oc.PlacementRequest")]
public sealed record PlacementRequest(
    [property: Id(0)] ResourceAmount Amount,
    [property: Id(1)] IReadOnlyList<string> RequiredCapabilities,
    [property: Id(2)] string? Area,
    [property: Id(3)] IReadOnlyList<string>? ExcludedHosts = null);
