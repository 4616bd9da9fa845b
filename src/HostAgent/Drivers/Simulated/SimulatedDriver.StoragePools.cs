using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>
/// A simulated host's storage pools: the configured ones, else one pool <see cref="DefaultPool"/> as large
/// as the host's disk. Simulated disks are thin and never written, so a pool's free space stays its size
/// (the control plane counts the disks it placed against it).
/// </summary>
public sealed partial class SimulatedDriver : IStoragePoolInventory
{
    public const string DefaultPool = "default";

    public const string DefaultPoolPath = "/simulated/pools/default";

    public Task<IReadOnlyList<StoragePoolInfo>?> ListStoragePoolsAsync(HostDefinition host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoragePoolInfo>?>(host.StoragePools.Count > 0
            ? [.. host.StoragePools.Select(p => p.ToInfo())]
            : [new StoragePoolInfo(DefaultPool, DefaultPoolPath, host.DiskGb, host.DiskGb)]);
}
