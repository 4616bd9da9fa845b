using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>
/// Capacity a task claims on one host. <see cref="Pool"/> names the storage pool the disk should go on;
/// the host uses its default pool (the first it reports) when it has no pool of that name or none is named.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.CapacityClaim")]
public sealed record CapacityClaim(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] ResourceAmount Amount,
    [property: Id(2)] IReadOnlyList<string> RequiredCapabilities,
    [property: Id(3)] string? Pool = null);
