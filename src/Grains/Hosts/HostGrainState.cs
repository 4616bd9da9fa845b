using OrleansCloud.Grains.Common;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// A host's durable inventory and accounting. The last heartbeat is deliberately not persisted:
/// after a restart a host is unproven until it reports again. Nor are the reported storage pools (their
/// free space changes with every heartbeat); which pool each claim and allocation is on is.
/// </summary>
[GenerateSerializer, Alias("oc.HostGrainState")]
public sealed class HostGrainState
{
    [Id(0)] public bool Known { get; set; }
    [Id(1)] public string Area { get; set; } = "";
    [Id(2)] public string Driver { get; set; } = "";
    [Id(3)] public ResourceAmount Capacity { get; set; } = ResourceAmount.Zero;
    [Id(4)] public List<string> Capabilities { get; set; } = [];
    [Id(5)] public HostState State { get; set; } = HostState.Unknown;
    [Id(6)] public Dictionary<string, ResourceAmount> Claims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What each VM on the host was granted, by resource id: one entry per VM, kept out of whole-state writes.</summary>
    [Id(10)] public SealedMap<ResourceAmount> Allocations { get; set; } = new();

    /// <summary>Legacy: <see cref="Allocations"/> as states stored it whole before the sealed maps.</summary>
    [Id(7)] public Dictionary<string, ResourceAmount> LegacyAllocations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The storage pool of each claim (by claim id) whose host reported pools when it was granted.</summary>
    [Id(8)] public Dictionary<string, string> ClaimPools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The storage pool of each allocation (by resource id), carried over from its claim.</summary>
    [Id(11)] public SealedMap<string> AllocationPools { get; set; } = new();

    /// <summary>Legacy, as <see cref="LegacyAllocations"/>.</summary>
    [Id(9)] public Dictionary<string, string> LegacyAllocationPools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Moves what a state stored before the sealed maps into them (their overlay).</summary>
    public void UpgradeLegacyMaps()
    {
        foreach (var (key, value) in LegacyAllocations)
        {
            Allocations[key] = value;
        }

        foreach (var (key, value) in LegacyAllocationPools)
        {
            AllocationPools[key] = value;
        }

        LegacyAllocations = new(StringComparer.Ordinal);
        LegacyAllocationPools = new(StringComparer.Ordinal);
    }

    /// <summary>Reads the sealed parts of the maps (at activation, before any claim or snapshot).</summary>
    public async Task LoadSealedMaps(SealedChunks chunks)
    {
        await chunks.Load("allocations", Allocations);
        await chunks.Load("pools", AllocationPools);
    }

    /// <summary>Seals the maps whose overlay has grown, before a write of this state (see <see cref="SealedChunks.Seal"/>).</summary>
    public async Task SealMaps(SealedChunks chunks)
    {
        await chunks.Seal("allocations", Allocations);
        await chunks.Seal("pools", AllocationPools);
    }

    /// <summary>A copy with new collections over the same immutable elements, for a group commit (every stored property; the clone tests list them).</summary>
    public HostGrainState Clone() => new()
    {
        Known = Known,
        Area = Area,
        Driver = Driver,
        Capacity = Capacity,
        Capabilities = [.. Capabilities],
        State = State,
        Claims = new(Claims, StringComparer.Ordinal),
        Allocations = Allocations.Snapshot(),
        ClaimPools = new(ClaimPools, StringComparer.Ordinal),
        AllocationPools = AllocationPools.Snapshot(),
        LegacyAllocations = new(LegacyAllocations, StringComparer.Ordinal),
        LegacyAllocationPools = new(LegacyAllocationPools, StringComparer.Ordinal),
    };
}
