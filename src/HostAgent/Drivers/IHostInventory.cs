namespace OrleansCloud.HostAgent.Drivers;

/// <summary>A driver that can measure its host: the heartbeat then reports what the hypervisor has, not what was configured.</summary>
public interface IHostInventory
{
    /// <summary>vCPUs, memory and disk of the host (<see cref="ResourceAmount.Vms"/> is left to configuration); null when it cannot tell.</summary>
    Task<ResourceAmount?> MeasureCapacityAsync(string hostName, CancellationToken cancellationToken);
}
