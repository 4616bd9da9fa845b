using OrleansCloud.Common;

namespace OrleansCloud.Grains.Hosts;

/// <summary>A host's allocations summed: in all, and the disk on each storage pool.</summary>
internal sealed class AllocationTotals
{
    public ResourceAmount Allocated { get; private set; } = ResourceAmount.Zero;

    public Dictionary<string, long> DiskByPool { get; } = new(StringComparer.Ordinal);

    public static AllocationTotals Of(HostGrainState state)
    {
        var totals = new AllocationTotals();
        foreach (var resourceId in state.Allocations.Keys)
        {
            totals.Add(state, resourceId);
        }

        return totals;
    }

    public void Add(HostGrainState state, string resourceId) => Apply(state, resourceId, +1);

    public void Remove(HostGrainState state, string resourceId) => Apply(state, resourceId, -1);

    private void Apply(HostGrainState state, string resourceId, int sign)
    {
        if (!state.Allocations.TryGetValue(resourceId, out var amount))
        {
            return;
        }

        Allocated = sign > 0 ? Allocated + amount : Allocated - amount;
        if (state.AllocationPools.TryGetValue(resourceId, out var pool))
        {
            var disk = DiskByPool.GetValueOrDefault(pool) + sign * amount.DiskGb;
            if (disk == 0)
            {
                DiskByPool.Remove(pool);
            }
            else
            {
                DiskByPool[pool] = disk;
            }
        }
    }
}
