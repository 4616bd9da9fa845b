using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.Drivers;

/// <summary>
/// A driver that knows its host's storage pools: the heartbeat reports them instead of the host's
/// configured ones. The pool the driver puts disks on by default comes first.
/// </summary>
public interface IStoragePoolInventory
{
    /// <summary>The host's pools, default first; null when it cannot tell now (the heartbeat then reports the configured ones).</summary>
    Task<IReadOnlyList<StoragePoolInfo>?> ListStoragePoolsAsync(HostDefinition host, CancellationToken cancellationToken);
}
