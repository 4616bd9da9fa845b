using Orleans.Providers;
using Orleans.Storage;
using Microsoft.Extensions.Options;
using OrleansCloud.Areas;
using Orleans.Concurrency;
using OrleansCloud.Grains.Common;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// One hypervisor's inventory and what is claimed and allocated on it. A claim is decided and recorded
/// in one synchronous stretch, so claims never overcommit it; the grain is reentrant with group commit
/// (<see cref="GroupCommit{TState}"/>): claims arriving together share one write, and none is answered
/// before it is durable.
/// </summary>
[Reentrant]
public sealed class HostGrain(
    [PersistentState("host")] IPersistentState<HostGrainState> state,
    IOptions<PlacementOptions> options,
    PlacementView view,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IHostGrain
{
    private DateTimeOffset _lastHeartbeat = DateTimeOffset.MinValue;
    private int _runningVms;
    private IReadOnlyList<StoragePoolInfo> _storagePools = [];
    private long _stamp;

    private GroupCommit<HostGrainState>? _commits;

    private HostGrainState S => Commits.State;

    /// <summary>
    /// What the ledger adds up to (allocated, claimed, each pool's room), kept between changes: a snapshot
    /// is taken on every claim, publish and read, and summing a host's every VM each time showed in profiles.
    /// </summary>
    private (ResourceAmount Allocated, ResourceAmount Claimed, IReadOnlyList<StoragePoolRoom> Rooms)? _totals;

    private GroupCommit<HostGrainState> Commits => _commits ??= new(
        state, s => s.Clone(), DeactivateOnIdle, () => S.SealMaps(Chunks));

    private SealedChunks? _chunks;

    /// <summary>Where the sealed parts of the state's per-VM maps are stored: the grain's own storage.</summary>
    private SealedChunks Chunks => _chunks ??= new(
        ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME), "host:" + this.GetPrimaryKeyString());

    /// <summary>The per-VM maps are whole in memory before the first claim or snapshot reads them.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.UpgradeLegacyMaps();
        await state.State.LoadSealedMaps(Chunks);
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task Heartbeat(HostHeartbeat heartbeat)
    {
        _lastHeartbeat = time.GetUtcNow();
        _runningVms = heartbeat.RunningVms;
        _storagePools = heartbeat.StoragePools ?? [];
        _totals = null;
        var inventoryChanged = !S.Known
            || S.Area != heartbeat.Area
            || S.Driver != heartbeat.Driver
            || S.Capacity != heartbeat.Capacity
            || !S.Capabilities.SequenceEqual(heartbeat.Capabilities);
        if (inventoryChanged || S.State is HostState.Unknown or HostState.Down)
        {
            if ((!S.Known || S.Area != heartbeat.Area) && heartbeat.Area.Length > 0)
            {
                // A host may report an area no administrator created: it becomes a discovered area,
                // so a fleet that predates the area catalogue keeps working and every host's area exists.
                await GrainFactory.Ref<IAreaGrain>(heartbeat.Area).Discover();
            }

            S.Known = true;
            S.Area = heartbeat.Area;
            S.Driver = heartbeat.Driver;
            S.Capacity = heartbeat.Capacity;
            S.Capabilities = [.. heartbeat.Capabilities];
            if (S.State is HostState.Unknown or HostState.Down)
            {
                S.State = HostState.Up;
            }

            await Save();
        }

        await Publish();
    }

    public async Task<Result<CapacityGrant>> TryClaim(CapacityClaim claim)
    {
        if (S.Claims.ContainsKey(claim.ClaimId))
        {
            await Commits.Flushed();
            return new CapacityGrant(S.ClaimPools.GetValueOrDefault(claim.ClaimId), S.Area);
        }

        // Checked and recorded with no await in between, so the pool's room cannot change before the claim is recorded.
        var snapshot = Snapshot();
        var request = new PlacementRequest(claim.Amount, claim.RequiredCapabilities, Area: null, Pool: claim.Pool);
        if (!HostElection.IsEligible(snapshot, request, time.GetUtcNow(), options.Value.MaxHeartbeatAge))
        {
            return new Error(ErrorCodes.NoCapacity, $"Host {this.GetPrimaryKeyString()} cannot take {claim.Amount}{PoolNote(snapshot, claim.Pool)}.");
        }

        var pool = StoragePlacement.Choose(snapshot.StoragePools, claim.Pool)?.Pool.Name;
        S.Claims[claim.ClaimId] = claim.Amount;
        if (pool is not null)
        {
            S.ClaimPools[claim.ClaimId] = pool;
        }

        await Save();
        await Publish();
        return new CapacityGrant(pool, S.Area);
    }

    private static string PoolNote(HostSnapshot host, string? wanted) =>
        StoragePlacement.Choose(host.StoragePools, wanted) is { } pool ? $" (storage pool {pool.Pool.Name} has {pool.RoomGb} GB of room)" : "";

    public async Task<Result> ConfirmClaim(string claimId, string resourceId)
    {
        if (S.Allocations.ContainsKey(resourceId))
        {
            await Commits.Flushed();
            return Result.Ok;
        }

        if (!S.Claims.Remove(claimId, out var amount))
        {
            return Result.Fail(ErrorCodes.NotFound, $"No claim {claimId} on host {this.GetPrimaryKeyString()}.");
        }

        S.Allocations[resourceId] = amount;
        if (S.ClaimPools.Remove(claimId, out var pool))
        {
            S.AllocationPools[resourceId] = pool;
        }

        CountAllocation(resourceId);

        await Save();
        await Publish();
        return Result.Ok;
    }

    public async Task Reallocate(string claimId, string resourceId, ResourceAmount amount)
    {
        ForgetAllocation(resourceId);
        var changed = S.Claims.Remove(claimId);
        if (S.ClaimPools.Remove(claimId, out var pool))
        {
            // The growth was claimed on the pool the disk is on; an allocation from before pools adopts it.
            S.AllocationPools.TryAdd(resourceId, pool);
            changed = true;
        }

        if (!S.Allocations.TryGetValue(resourceId, out var current) || current != amount)
        {
            S.Allocations[resourceId] = amount;
            changed = true;
        }

        CountAllocation(resourceId);

        if (changed)
        {
            await Save();
            await Publish();
        }
        else
        {
            await Commits.Flushed();
        }
    }

    public async Task ReleaseClaim(string claimId)
    {
        if (S.Claims.Remove(claimId) | S.ClaimPools.Remove(claimId))
        {
            await Save();
            await Publish();
        }
        else
        {
            await Commits.Flushed();
        }
    }

    public async Task ReleaseAllocation(string resourceId)
    {
        ForgetAllocation(resourceId);
        if (S.Allocations.Remove(resourceId) | S.AllocationPools.Remove(resourceId))
        {
            await Save();
            await Publish();
        }
        else
        {
            await Commits.Flushed();
        }
    }

    public async Task<Result<HostSnapshot>> SetState(HostState newState)
    {
        if (!S.Known)
        {
            return Error.NotFound($"Host '{this.GetPrimaryKeyString()}'");
        }

        if (newState is HostState.Unknown)
        {
            return Error.Validation("state", "a host cannot be set to unknown");
        }

        S.State = newState;
        await Save();
        await Publish();
        return Snapshot();
    }

    public Task<Result<HostSnapshot>> Get() =>
        Task.FromResult(S.Known ? Result<HostSnapshot>.Ok(Snapshot()) : Error.NotFound($"Host '{this.GetPrimaryKeyString()}'"));

    public Task<IReadOnlyList<string>> Allocated() =>
        Task.FromResult<IReadOnlyList<string>>([.. S.Allocations.Keys.Order(StringComparer.Ordinal)]);

    /// <summary>Every change of the ledger goes through here: the totals are summed again at the next snapshot.</summary>
    private Task Save()
    {
        _totals = null;
        return Commits.Commit();
    }

    private HostSnapshot Snapshot()
    {
        var totals = _totals ??= (AllocationSums.Allocated, ResourceAmount.Sum(S.Claims.Values), StoragePlacement.Rooms(_storagePools, Committed()));
        // An "up" host that stopped reporting is shown (and treated) as down until it reports again.
        var stale = time.GetUtcNow() - _lastHeartbeat > options.Value.MaxHeartbeatAge;
        var effective = S.State == HostState.Up && stale ? HostState.Down : S.State;
        return new HostSnapshot(
            this.GetPrimaryKeyString(),
            S.Area,
            S.Driver,
            effective,
            S.Capacity,
            totals.Allocated,
            totals.Claimed,
            S.Capabilities,
            _lastHeartbeat,
            _runningVms,
            totals.Rooms);
    }

    private IEnumerable<(string Pool, long DiskGb)> Committed()
    {
        foreach (var (claimId, pool) in S.ClaimPools)
        {
            if (S.Claims.TryGetValue(claimId, out var amount))
            {
                yield return (pool, amount.DiskGb);
            }
        }

        foreach (var (pool, diskGb) in AllocationSums.DiskByPool)
        {
            yield return (pool, diskGb);
        }
    }

    /// <summary>
    /// The allocations summed (one per VM on the host), kept up to date by every change of an allocation
    /// instead of summed again on each claim and snapshot: a host with a thousand VMs showed in profiles.
    /// </summary>
    private AllocationTotals AllocationSums => _allocationSums ??= AllocationTotals.Of(S);

    private AllocationTotals? _allocationSums;

    /// <summary>Before an allocation changes: takes its current amount out of the totals.</summary>
    private void ForgetAllocation(string resourceId) => _allocationSums?.Remove(S, resourceId);

    /// <summary>After an allocation changed: counts its new amount in.</summary>
    private void CountAllocation(string resourceId) => _allocationSums?.Add(S, resourceId);

    /// <summary>
    /// After every change: into this silo's view at once (so the next election here sees a claim), and
    /// into the feed other silos pull. The feed call is one-way: a lost update heals at the next heartbeat.
    /// The stamp only orders this host's snapshots; real time makes a later activation's stamps larger.
    /// </summary>
    private Task Publish()
    {
        var snapshot = Snapshot();
        _stamp = Math.Max(_stamp + 1, TimeProvider.System.GetUtcNow().UtcTicks);
        view.Upsert(snapshot, _stamp);
        return GrainFactory.Ref<IPlacementFeedGrain>(PlacementKeys.Feed(snapshot.HostName, options.Value.FeedPartitions))
            .Publish(snapshot, _stamp);
    }
}
