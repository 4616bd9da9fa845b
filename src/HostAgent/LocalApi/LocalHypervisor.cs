using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>The one host the local API acts on, with its driver, VM inventory and network driver.</summary>
public sealed class LocalHypervisor(string hostName, IHypervisorDriver driver, IVmInventory inventory, INetworkDriver networks)
{
    public string HostName { get; } = hostName;

    public IHypervisorDriver Driver { get; } = driver;

    public IVmInventory Inventory { get; } = inventory;

    public INetworkDriver Networks { get; } = networks;

    public async Task<VmInfo?> FindVm(string name, CancellationToken ct) =>
        (await Inventory.ListVmsAsync(HostName, ct)).FirstOrDefault(v => v.Name == name);

    public async Task<NetworkInfo?> FindNetwork(string name, CancellationToken ct) =>
        (await Networks.ListNetworksAsync(ct)).FirstOrDefault(n => n.Name == name);

    /// <summary>Resolves the configured host (or the first announced one) and what its driver offers.</summary>
    public static LocalHypervisor Resolve(LocalApiOptions options, AnnouncedHosts hosts, DriverRegistry drivers, IServiceProvider services)
    {
        var host = string.IsNullOrEmpty(options.Host) ? hosts.All.FirstOrDefault() : hosts.Find(options.Host);
        if (host is null)
        {
            throw new InvalidOperationException(string.IsNullOrEmpty(options.Host)
                ? "HostAgent:LocalApi needs at least one announced host"
                : $"HostAgent:LocalApi:Host '{options.Host}' is not one of this agent's hosts");
        }

        var driver = drivers.Find(host.Driver) ?? throw new InvalidOperationException($"no driver '{host.Driver}' for host {host.Name}");
        var inventory = driver as IVmInventory ?? throw new InvalidOperationException($"driver '{driver.Name}' cannot list VMs");
        var networks = services.GetKeyedService<INetworkDriver>(driver.Name)
            ?? throw new InvalidOperationException($"driver '{driver.Name}' has no network driver");
        return new LocalHypervisor(host.Name, driver, inventory, networks);
    }
}
