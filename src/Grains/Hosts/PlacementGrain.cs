using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// Elections served by a few activations on every silo over the silo's shared <see cref="PlacementView"/>
/// (a stateless worker): elections never cross silos and never queue behind one grain. The view is
/// in memory, refilled by heartbeats after a restart; it never calls host grains: calls only flow host
/// to view.
/// </summary>
[StatelessWorker]
public sealed class PlacementGrain(
    PlacementView view,
    PlacementFeedReader feed,
    IOptions<PlacementOptions> options,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IPlacementGrain
{
    public async Task<IReadOnlyList<string>> Elect(PlacementRequest request)
    {
        await feed.PullIfDue(GrainFactory);
        return view.Elect(request, options.Value.MaxClaimAttempts, time.GetUtcNow(), options.Value.MaxHeartbeatAge);
    }

    public async Task<IReadOnlyList<HostSnapshot>> ListHosts()
    {
        await feed.PullIfDue(GrainFactory);
        return [.. view.List().Select(Effective)];
    }

    private HostSnapshot Effective(HostSnapshot h) =>
        h.State == HostState.Up && time.GetUtcNow() - h.LastHeartbeat > options.Value.MaxHeartbeatAge
            ? h with { State = HostState.Down }
            : h;
}
