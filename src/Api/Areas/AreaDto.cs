using OrleansCloud.Api.Hosts;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Areas;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Areas;

/// <summary>
/// A failover domain: its settings, and the fleet in it as its hosts report it (how many, how many take
/// work, and their capacity). <c>free</c> counts only hosts that are up, since no other host takes a new
/// VM. <c>storagePools</c> sums each pool (name and path) over the hosts reporting it. <c>hostList</c> is
/// given when one area is read.
/// </summary>
public sealed record AreaDto(
    string Area,
    string Name,
    string Description,
    VlanRangeDto VlanRange,
    string SubnetPool,
    string? PublicSubnet,
    IReadOnlyList<StoragePoolDto> StoragePools,
    bool Discovered,
    int VlansInUse,
    DateTimeOffset CreatedAt,
    long Version,
    int Hosts,
    int HostsUp,
    QuotaDto Capacity,
    QuotaDto Allocated,
    QuotaDto Claimed,
    QuotaDto Free,
    IReadOnlyList<HostDto>? HostList)
{
    public static AreaDto From(AreaView area, IEnumerable<HostSnapshot> fleet, bool withHosts)
    {
        var hosts = fleet.Where(h => h.Area == area.Area).OrderBy(h => h.HostName, StringComparer.Ordinal).ToList();
        var up = hosts.Where(h => h.State == HostState.Up).ToList();
        var settings = area.Settings;
        return new AreaDto(
            area.Area,
            settings.Name,
            settings.Description,
            new VlanRangeDto(settings.VlanRange.From, settings.VlanRange.To),
            settings.SubnetPool,
            settings.PublicSubnet,
            StoragePoolDto.Of(hosts),
            area.Discovered,
            area.VlansInUse,
            area.CreatedAt,
            area.Version,
            hosts.Count,
            up.Count,
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Capacity))),
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Allocated))),
            QuotaDto.From(ResourceAmount.Sum(hosts.Select(h => h.Claimed))),
            QuotaDto.From(ResourceAmount.Sum(up.Select(h => h.Free))),
            withHosts ? [.. hosts.Select(HostDto.From)] : null);
    }
}
