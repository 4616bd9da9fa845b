namespace OrleansCloud.HostAgent.Drivers;

/// <summary>
/// Drives one kind of hypervisor. Every operation must be idempotent: the same operation (same
/// operation id, same VM) applied twice leaves one result. Expected failures are results, not exceptions.
/// </summary>
public interface IHypervisorDriver
{
    string Name { get; }

    Task<HostOperationResult> ExecuteAsync(string hostName, HostOperation operation, CancellationToken cancellationToken);

    /// <summary>How many VMs the hypervisor runs now, for the heartbeat.</summary>
    Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken);
}
