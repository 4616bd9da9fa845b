using Orleans.Runtime;

namespace OrleansCloud.HostAgent.Placement;

/// <summary>Places <c>HostAgentGrain(hostName)</c> on the silo whose metadata announces that host.</summary>
[GenerateSerializer, Immutable, Alias("oc.HostAgentPlacementStrategy")]
public sealed class HostAgentPlacementStrategy : PlacementStrategy
{
    public static readonly HostAgentPlacementStrategy Instance = new();
}
