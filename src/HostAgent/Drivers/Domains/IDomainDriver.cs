namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>
/// Domains ("hosts" in the staging-hypervisor-agent contract) of one hypervisor, by name. Apart from
/// <see cref="IHypervisorDriver"/> on purpose: the local API speaks that contract, not the control plane's
/// host operations. Names reach an implementation already checked by <see cref="DomainNames"/>.
/// </summary>
public interface IDomainDriver
{
    Task<IReadOnlyList<DomainInfo>> ListAsync(CancellationToken cancellationToken);

    Task<DomainInfo?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Defines the domain with its disks and interfaces (and an install kernel); does not start it.</summary>
    Task<DriverOutcome> DefineAsync(DomainDefinition definition, CancellationToken cancellationToken);

    Task<DriverOutcome> StartAsync(string name, CancellationToken cancellationToken);

    /// <summary>Destroys and undefines the domain and removes its disks (and install files).</summary>
    Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken);
}
