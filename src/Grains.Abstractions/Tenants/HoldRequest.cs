using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

/// <summary>A quota reservation for one task. <see cref="ResourceName"/> reserves a unique name of <see cref="ResourceKind"/>.</summary>
[GenerateSerializer, Immutable, Alias("oc.HoldRequest")]
public sealed record HoldRequest(
    [property: Id(0)] string TaskId,
    [property: Id(1)] ResourceAmount Amount,
    [property: Id(2)] TimeSpan Ttl,
    [property: Id(3)] string ResourceKind,
    [property: Id(4)] string? ResourceName);
