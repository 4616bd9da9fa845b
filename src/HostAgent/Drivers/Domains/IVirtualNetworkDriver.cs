namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>
/// Libvirt networks of one hypervisor as the staging-hypervisor-agent contract sees them: every network is
/// listed, and the ones it creates are persistent, autostarted networks on an Open vSwitch bridge with a VLAN tag.
/// </summary>
public interface IVirtualNetworkDriver
{
    Task<IReadOnlyList<VirtualNetworkInfo>> ListAsync(CancellationToken cancellationToken);

    Task<VirtualNetworkInfo?> FindAsync(string name, CancellationToken cancellationToken);

    Task<DriverOutcome> CreateAsync(VirtualNetworkDefinition definition, CancellationToken cancellationToken);

    Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken);
}
