using System.ComponentModel;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Areas;

/// <summary>
/// A storage pool of an area, as its hosts report it: one entry per pool name and path, its sizes summed
/// over the hosts that report it (a pool on storage the hosts share is therefore counted once per host).
/// </summary>
[Description("A storage pool of the area as its hosts report it (libvirt pool info): one entry per pool name and path, sizeGb and freeGb summed over the hosts reporting it (storage the hosts share counts once per host).")]
public sealed record StoragePoolDto(
    [property: Description("The pool's name on its hosts.")] string Name,
    [property: Description("The directory the pool lives in on its hosts.")] string Path,
    [property: Description("The pool's size in GB, summed over the hosts reporting it.")] long SizeGb,
    [property: Description("Free space in GB as the hosts report it (written data only; thin disks may still grow), summed over the hosts.")] long FreeGb,
    [property: Description("How many of the area's hosts report this pool.")] int Hosts)
{
    public static IReadOnlyList<StoragePoolDto> Of(IEnumerable<HostSnapshot> hosts) =>
        [.. hosts.SelectMany(h => h.StoragePools ?? [])
            .GroupBy(p => (p.Pool.Name, p.Pool.Path))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Path, StringComparer.Ordinal)
            .Select(g => new StoragePoolDto(g.Key.Name, g.Key.Path, g.Sum(p => p.Pool.SizeGb), g.Sum(p => p.Pool.FreeGb), g.Count()))];
}
