namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>A domain as virsh lists it: its id while it runs (null otherwise), its name and its state ("running", "shut off", ...).</summary>
public sealed record DomainInfo(int? Id, string Name, string State);
