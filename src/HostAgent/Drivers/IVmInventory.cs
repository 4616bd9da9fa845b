namespace OrleansCloud.HostAgent.Drivers;

/// <summary>What a driver knows of the VMs on one of its hosts (the agent's local API lists it).</summary>
public interface IVmInventory
{
    Task<IReadOnlyList<VmInfo>> ListVmsAsync(string hostName, CancellationToken cancellationToken);
}

/// <summary>A VM as the hypervisor reports it.</summary>
public sealed record VmInfo(string Name, string State, int Cpu, long RamMb, IReadOnlyList<string> Addresses);
