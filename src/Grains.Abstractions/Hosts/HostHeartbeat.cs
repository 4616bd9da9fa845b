using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>
/// What a host agent reports every few seconds: where the host is, what it has, what it can do,
/// and what it observes running. <see cref="StoragePools"/> lists the host's pools, the one its agent
/// puts disks on by default first; null (an agent that predates pools) reads as none.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.HostHeartbeat")]
public sealed record HostHeartbeat(
    [property: Id(0)] string HostName,
    [property: Id(1)] string Area,
    [property: Id(2)] string Driver,
    [property: Id(3)] ResourceAmount Capacity,
    [property: Id(4)] IReadOnlyList<string> Capabilities,
    [property: Id(5)] int RunningVms,
    [property: Id(6)] DateTimeOffset SentAt,
    [property: Id(7)] IReadOnlyList<StoragePoolInfo>? StoragePools = null);
