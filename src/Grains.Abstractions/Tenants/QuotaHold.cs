using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

[GenerateSerializer, Immutable, Alias("oc.QuotaHold")]
public sealed record QuotaHold(
    [property: Id(0)] string TaskId,
    [property: Id(1)] ResourceAmount Amount,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string ResourceKind,
    [property: Id(4)] string? ResourceName);
