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
    [Id(7)] public Dictionary<string, ResourceAmount> Allocations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The storage pool of each claim (by claim id) whose host reported pools when it was granted.</summary>
    [Id(8)] public Dictionary<string, string> ClaimPools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The storage pool of each allocation (by resource id), carried over from its claim.</summary>
    [Id(9)] public Dictionary<string, string> AllocationPools { get; set; } = new(StringComparer.Ordinal);

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
        Allocations = new(Allocations, StringComparer.Ordinal),
        ClaimPools = new(ClaimPools, StringComparer.Ordinal),
        AllocationPools = new(AllocationPools, StringComparer.Ordinal),
    };
}
