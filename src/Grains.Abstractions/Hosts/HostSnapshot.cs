using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>The placement view of one host: inventory, liveness and what is allocated or claimed on it, and its storage pools (default first; null or empty: the host reports none).</summary>
[GenerateSerializer, Immutable, Alias("oc.HostSnapshot")]
public sealed record HostSnapshot(
    [property: Id(0)] string HostName,
    [property: Id(1)] string Area,
    [property: Id(2)] string Driver,
    [property: Id(3)] HostState State,
    [property: Id(4)] ResourceAmount Capacity,
    [property: Id(5)] ResourceAmount Allocated,
    [property: Id(6)] ResourceAmount Claimed,
    [property: Id(7)] IReadOnlyList<string> Capabilities,
    [property: Id(8)] DateTimeOffset LastHeartbeat,
    [property: Id(9)] int RunningVms,
    [property: Id(10)] IReadOnlyList<StoragePoolRoom>? StoragePools = null)
{
    public ResourceAmount Free => Capacity - Allocated - Claimed;
}
