using OrleansCloud.Api.Tenants;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Hosts;

public sealed record HostDto(
    string HostName, string Area, string Driver, string State, QuotaDto Capacity, QuotaDto Allocated, QuotaDto Claimed,
    QuotaDto Free, IReadOnlyList<string> Capabilities, DateTimeOffset LastHeartbeat, int RunningVms,
    IReadOnlyList<HostStoragePoolDto> StoragePools)
{
    public static HostDto From(HostSnapshot h) => new(
        h.HostName, h.Area, h.Driver, h.State.ToString().ToLowerInvariant(), QuotaDto.From(h.Capacity), QuotaDto.From(h.Allocated),
        QuotaDto.From(h.Claimed), QuotaDto.From(h.Free), h.Capabilities, h.LastHeartbeat, h.RunningVms,
        [.. (h.StoragePools ?? []).Select(HostStoragePoolDto.From)]);
}
