using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// A host's durable inventory and accounting. The last heartbeat is deliberately not persisted:
/// after a restart a host is unproven until it reports again.
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
}
