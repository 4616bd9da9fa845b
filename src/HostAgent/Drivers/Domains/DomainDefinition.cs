namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>A domain to define: memory in MB, one disk per size in GB, one interface per libvirt network, an optional network install.</summary>
public sealed record DomainDefinition(string Name, long MemoryMb, IReadOnlyList<int> DisksGb, IReadOnlyList<string> Networks, NetworkInstall? Install);
