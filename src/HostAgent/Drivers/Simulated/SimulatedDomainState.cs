using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>A simulated local-API host: its definition and, while it runs, its id.</summary>
public sealed record SimulatedDomainState(DomainDefinition Definition, int? Id);
