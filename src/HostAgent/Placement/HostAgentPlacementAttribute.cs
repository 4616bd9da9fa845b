using Orleans.Placement;

namespace OrleansCloud.HostAgent.Placement;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HostAgentPlacementAttribute() : PlacementAttribute(HostAgentPlacementStrategy.Instance);
