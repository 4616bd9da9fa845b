using Microsoft.Extensions.Options;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// An in-memory view of every host, rebuilt from heartbeats within one heartbeat interval after a
/// restart, so it needs no storage. It never calls host grains: calls only flow host to placement.
/// </summary>
public sealed class PlacementGrain(IOptions<PlacementOptions> options, [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IPlacementGrain
{
    private readonly Dictionary<string, HostSnapshot> _hosts = new(StringComparer.Ordinal);

    public Task Update(HostSnapshot snapshot)
    {
        _hosts[snapshot.HostName] = snapshot;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> Elect(PlacementRequest request) =>
        Task.FromResult(HostElection.Rank(_hosts.Values, request, time.GetUtcNow(), options.Value.MaxHeartbeatAge));

    public Task<IReadOnlyList<HostSnapshot>> ListHosts() =>
        Task.FromResult<IReadOnlyList<HostSnapshot>>([.. _hosts.Values.OrderBy(h => h.HostName, StringComparer.Ordinal).Select(Effective)]);

    private HostSnapshot Effective(HostSnapshot h) =>
        h.State == HostState.Up && time.GetUtcNow() - h.LastHeartbeat > options.Value.MaxHeartbeatAge
            ? h with { State = HostState.Down }
            : h;
}
