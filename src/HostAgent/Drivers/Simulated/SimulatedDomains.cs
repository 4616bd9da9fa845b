using System.Collections.Concurrent;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>The local API's hosts in memory, with libvirt's states and ids, so the API can be exercised without a hypervisor.</summary>
public sealed class SimulatedDomains : IDomainDriver
{
    private readonly ConcurrentDictionary<string, SimulatedDomainState> _domains = new(StringComparer.Ordinal);
    private int _nextId;

    /// <summary>What a host was defined with (tests read it).</summary>
    public DomainDefinition? Definition(string name) => _domains.GetValueOrDefault(name)?.Definition;

    public Task<IReadOnlyList<DomainInfo>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DomainInfo>>([.. _domains.Values.OrderBy(d => d.Definition.Name, StringComparer.Ordinal).Select(Info)]);

    public Task<DomainInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_domains.TryGetValue(name, out var domain) ? Info(domain) : null);

    public Task<DriverOutcome> DefineAsync(DomainDefinition definition, CancellationToken cancellationToken) =>
        Task.FromResult(_domains.TryAdd(definition.Name, new SimulatedDomainState(definition, null))
            ? DriverOutcome.Done($"simulated: defined {definition.Name}")
            : DriverOutcome.Conflict($"domain {definition.Name} exists"));

    public Task<DriverOutcome> StartAsync(string name, CancellationToken cancellationToken)
    {
        while (_domains.TryGetValue(name, out var domain))
        {
            if (domain.Id is not null || _domains.TryUpdate(name, domain with { Id = Interlocked.Increment(ref _nextId) }, domain))
            {
                return Task.FromResult(DriverOutcome.Done($"simulated: {name} is running"));
            }
        }

        return Task.FromResult(DriverOutcome.NotFound($"no domain {name}"));
    }

    public Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_domains.TryRemove(name, out _) ? DriverOutcome.Done($"simulated: deleted {name}") : DriverOutcome.NotFound($"no domain {name}"));

    private static DomainInfo Info(SimulatedDomainState domain) =>
        new(domain.Id, domain.Definition.Name, domain.Id is null ? "shut off" : "running");
}
