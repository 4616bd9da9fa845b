using OrleansCloud.Api.Hosts;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Areas;

/// <summary>
/// A failover domain as its hosts report it: how many, how many take work, and the capacity of those
/// that do. <c>free</c> counts only hosts that are up, since no other host takes a new VM.
/// </summary>
public sealed record AreaDto(
    string Area, int Hosts, int HostsUp, QuotaDto Capacity, QuotaDto Allocated, QuotaDto Claimed, QuotaDto Free, IReadOnlyList<HostDto>? HostList)
{
    public static IReadOnlyList<AreaDto> From(IEnumerable<HostSnapshot> hosts, bool withHosts) =>
        [.. hosts.GroupBy(h => h.Area, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Of(g.Key, [.. g], withHosts))];

    private static AreaDto Of(string area, IReadOnlyList<HostSnapshot> hosts, bool withHosts)
    {
        var up = hosts.Where(h => h.State == HostState.Up).ToList();
        return new AreaDto(
            area,
            hosts.Count,
            up.Count,
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Capacity))),
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Allocated))),
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Claimed))),
            QuotaDto.From(ResourceAmount.Sum(up.Select(h => h.Free))),
            withHosts ? [.. hosts.OrderBy(h => h.HostName, StringComparer.Ordinal).Select(HostDto.From)] : null);
    }
}
