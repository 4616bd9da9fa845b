using OrleansCloud.Tenants;

namespace OrleansCloud.Api.Tenants;

public sealed record CreateTenantRequest(string? TenantId, string? Name, QuotaRequest? Quota);

public sealed record TenantDto(string TenantId, string Name, QuotaDto Quota, DateTimeOffset CreatedAt, long Version)
{
    public static TenantDto From(TenantView view) => new(view.TenantId, view.Name, QuotaDto.From(view.Quota), view.CreatedAt, view.Version);
}

public sealed record QuotaUsageDto(QuotaDto Limits, QuotaDto Used, QuotaDto Held);

public sealed record ItemsDto<T>(IReadOnlyList<T> Items);

public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextPageToken);
