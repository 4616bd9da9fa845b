using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// Which storage pool of a host a disk goes on, and whether it has room; pure, so the election (in the
/// view) and the claim (in the host grain) decide by the very same rule. A disk goes on the pool it asks
/// for when the host has one of that name, else on the host's default pool (the first its agent reports).
/// A host that reports no pools (an older agent, a driver without pools) is judged by its disk capacity
/// alone, as before pools existed.
/// </summary>
public static class StoragePlacement
{
    /// <summary>The pool a disk asking for <paramref name="wanted"/> goes on; null when the host has none.</summary>
    public static StoragePoolRoom? Choose(IReadOnlyList<StoragePoolRoom>? pools, string? wanted)
    {
        if (pools is not { Count: > 0 })
        {
            return null;
        }

        if (wanted is not null)
        {
            foreach (var pool in pools)
            {
                if (string.Equals(pool.Pool.Name, wanted, StringComparison.Ordinal))
                {
                    return pool;
                }
            }
        }

        return pools[0];
    }

    /// <summary>True when the pool the disk would go on can hold <paramref name="diskGb"/>, or the host reports no pools.</summary>
    public static bool HasRoom(IReadOnlyList<StoragePoolRoom>? pools, string? wanted, long diskGb) =>
        Choose(pools, wanted) is not { } pool || diskGb <= 0 || pool.RoomGb >= diskGb;

    /// <summary>
    /// Each reported pool with what is committed on it: the disk GB of every claim and allocation
    /// recorded on a pool of that name. Claims and allocations on a pool the host no longer reports count nowhere.
    /// </summary>
    public static IReadOnlyList<StoragePoolRoom> Rooms(
        IReadOnlyList<StoragePoolInfo> reported,
        IEnumerable<(string Pool, long DiskGb)> committed)
    {
        if (reported.Count == 0)
        {
            return [];
        }

        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (pool, diskGb) in committed)
        {
            totals[pool] = totals.GetValueOrDefault(pool) + diskGb;
        }

        return [.. reported.Select(p => new StoragePoolRoom(p, totals.GetValueOrDefault(p.Name)))];
    }
}
