using System.Collections.Concurrent;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>The local API's networks in memory: created ones are active, autostarted and persistent, as on libvirt.</summary>
public sealed class SimulatedVirtualNetworks : IVirtualNetworkDriver
{
    private readonly ConcurrentDictionary<string, VirtualNetworkDefinition> _networks = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<VirtualNetworkInfo>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VirtualNetworkInfo>>([.. _networks.Keys.Order(StringComparer.Ordinal).Select(Info)]);

    public Task<VirtualNetworkInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_networks.ContainsKey(name) ? Info(name) : null);

    public Task<DriverOutcome> CreateAsync(VirtualNetworkDefinition definition, CancellationToken cancellationToken) =>
        Task.FromResult(_networks.TryAdd(definition.Name, definition)
            ? DriverOutcome.Done($"simulated: network {definition.Name} on {definition.Bridge}, vlan {definition.Vlan}")
            : DriverOutcome.Conflict($"network {definition.Name} exists"));

    public Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_networks.TryRemove(name, out _) ? DriverOutcome.Done($"simulated: deleted network {name}") : DriverOutcome.NotFound($"no network {name}"));

    private static VirtualNetworkInfo Info(string name) => new(name, Active: true, Autostart: true, Persistent: true);
}
