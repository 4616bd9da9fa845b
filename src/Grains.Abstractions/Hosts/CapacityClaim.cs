using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

[GenerateSerializer, Immutable, Alias("oc.CapacityClaim")]
public sealed record CapacityClaim(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] ResourceAmount Amount,
    [property: Id(2)] IReadOnlyList<string> RequiredCapabilities);
