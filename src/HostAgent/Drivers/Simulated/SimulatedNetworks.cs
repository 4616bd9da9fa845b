using System.Collections.Concurrent;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>Networks of the simulated hosts: bookkeeping with the same idempotency rules as the Open vSwitch driver.</summary>
public sealed class SimulatedNetworks : INetworkDriver
{
    private readonly ConcurrentDictionary<string, NetworkInfo> _networks = new(StringComparer.Ordinal);

    public Task<NetworkResult> EnsureNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        var wanted = new NetworkInfo(spec.Name, spec.Bridge, spec.Vlan, Active: true);
        var actual = _networks.GetOrAdd(spec.Name, wanted);
        return Task.FromResult(actual == wanted
            ? NetworkResult.Done(created: ReferenceEquals(actual, wanted), logs: $"simulated: network {spec.Name} on {spec.Bridge} vlan {spec.Vlan}")
            : NetworkResult.Conflicting($"network {spec.Name} exists on bridge {actual.Bridge} with vlan {actual.Vlan}"));
    }

    public Task<NetworkResult> DeleteNetworkAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(NetworkResult.Done(deleted: _networks.TryRemove(name, out _)));

    public Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NetworkInfo>>([.. _networks.Values.OrderBy(n => n.Name, StringComparer.Ordinal)]);
}
