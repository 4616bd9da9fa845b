namespace OrleansCloud.HostAgent.Drivers;

/// <summary>
/// Drives one kind of hypervisor. The VM operations it supports are the
/// <see cref="IHostOperationHandler{TOperation}"/> it implements; each must be idempotent (the same
/// operation id, the same VM, applied twice leaves one result).
/// </summary>
public interface IHypervisorDriver
{
    string Name { get; }

    /// <summary>How many VMs the hypervisor runs now, for the heartbeat.</summary>
    Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken);
}
