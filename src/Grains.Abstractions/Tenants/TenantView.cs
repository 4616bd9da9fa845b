using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

[GenerateSerializer, Immutable, Alias("oc.TenantView")]
public sealed record TenantView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Name,
    [property: Id(2)] ResourceAmount Quota,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long Version);
