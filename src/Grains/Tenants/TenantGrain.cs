using Orleans.Providers;
using Orleans.Storage;
using Orleans.Concurrency;
using OrleansCloud.Grains.Common;
using OrleansCloud.Tenants;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Tenants;

/// <summary>
/// The one place where a tenant's quota is decided. Every call decides and changes the ledger in one
/// synchronous stretch, so every hold is checked against the usage and holds of all calls before it,
/// on whichever silo the request arrived. Calls interleave only while their change is written: the
/// grain is reentrant with group commit (<see cref="GroupCommit{TState}"/>), so holds arriving together
/// share one write, and none is answered before its change is durable.
/// </summary>
[Reentrant]
[TenantKeyedPlacement]
public sealed class TenantGrain(
    [PersistentState("tenant")] IPersistentState<TenantState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, ITenantGrain
{
    private GroupCommit<TenantState>? _commits;

    private TenantState S => Commits.State;

    private GroupCommit<TenantState> Commits => _commits ??= new(
        state, s => s.Clone(), DeactivateOnIdle, () => S.SealMaps(Chunks));

    private SealedChunks? _chunks;

    /// <summary>Where the sealed parts of the state's per-VM maps are stored: the grain's own storage.</summary>
    private SealedChunks Chunks => _chunks ??= new(
        ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME), "tenant:" + this.GetPrimaryKeyString());

    /// <summary>The ledger's per-entry maps are whole in memory before the first decision reads them.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.UpgradeLegacyMaps();
        await state.State.LoadSealedMaps(Chunks);
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<TenantView>> Create(string name, ResourceAmount quota)
    {
        if (S.Exists)
        {
            return Error.Conflict($"Tenant '{this.GetPrimaryKeyString()}' already exists.");
        }

        if (string.IsNullOrWhiteSpace(name) || !quota.IsNonNegative)
        {
            return Error.Validation("quota", "a tenant needs a name and non-negative quota limits");
        }

        S.Exists = true;
        S.Name = name;
        S.Limits = quota;
        S.CreatedAt = time.GetUtcNow();
        S.Version = 1;
        await Commits.Commit();
        return View();
    }

    public Task<Result<TenantView>> Get() =>
        Task.FromResult(S.Exists ? Result<TenantView>.Ok(View()) : NotFound<TenantView>());

    public async Task<Result<TenantView>> SetQuota(ResourceAmount limits, long? expectedVersion)
    {
        if (!S.Exists)
        {
            return NotFound<TenantView>();
        }

        if (!limits.IsNonNegative)
        {
            return Error.Validation("quota", "quota limits must be non-negative");
        }

        if (expectedVersion is { } expected && expected != S.Version)
        {
            return new Error(ErrorCodes.PreconditionFailed, $"The tenant is at version {S.Version}, not {expected}.");
        }

        S.Limits = limits;
        S.Version++;
        await Commits.Commit();
        return View();
    }

    public Task<Result<QuotaView>> GetQuota() =>
        Task.FromResult(S.Exists
            ? Result<QuotaView>.Ok(new QuotaView(S.Limits, S.Used, S.HeldAt(time.GetUtcNow())))
            : NotFound<QuotaView>());

    public async Task<Result<QuotaHold>> PlaceHold(HoldRequest request)
    {
        if (!S.Exists)
        {
            return NotFound<QuotaHold>();
        }

        var now = time.GetUtcNow();
        var known = S.Holds.TryGetValue(request.TaskId, out var before) ? before : null;
        var swept = S.SweepExpired(now);
        var result = S.TryHold(request, now);
        await Save(swept || (result.IsSuccess && !ReferenceEquals(result.Value, known)));
        return result;
    }

    public async Task<Result> CommitHold(string taskId, string resourceId)
    {
        if (!S.Exists)
        {
            return Result.Fail(ErrorCodes.NotFound, "Tenant not found.");
        }

        var result = S.Commit(taskId, resourceId, time.GetUtcNow());
        await Commits.Commit();
        return result;
    }

    public async Task<Result> CommitChange(string taskId, string resourceId, ResourceAmount newAmount)
    {
        if (!S.Exists)
        {
            return Result.Fail(ErrorCodes.NotFound, "Tenant not found.");
        }

        var result = S.CommitChange(taskId, resourceId, newAmount, time.GetUtcNow());
        await Save(result.IsSuccess);
        return result;
    }

    public async Task ReleaseHold(string taskId)
    {
        await Save(S.Release(taskId));
    }

    public async Task ReleaseUsage(string resourceId)
    {
        await Save(S.ReleaseUsage(resourceId));
    }

    public Task<IReadOnlyList<IndexEntry>> LegacyIndex() => Task.FromResult(S.LegacyIndex());

    public async Task DropLegacyIndex()
    {
        await Save(S.DropLegacyIndex());
    }

    /// <summary>Writes a change; a call that changed nothing (a repeat) still waits for what came before it to be durable.</summary>
    private Task Save(bool changed) => changed ? Commits.Commit() : Commits.Flushed();

    public Task<IReadOnlyList<string>> ListResources(string kind) =>
        Task.FromResult<IReadOnlyList<string>>([.. S.Committed.Values.Where(c => c.Kind == kind).OrderBy(c => c.ResourceId, StringComparer.Ordinal).Select(c => c.ResourceId)]);

    public Task<string?> FindResource(string kind, string name) =>
        Task.FromResult(S.Names.TryGetValue($"{kind}:{name}", out var owner) && S.Committed.ContainsKey(owner) ? owner : null);

    private TenantView View() => new(this.GetPrimaryKeyString(), S.Name, S.Limits, S.CreatedAt, S.Version);

    private Result<T> NotFound<T>() => Error.NotFound($"Tenant '{this.GetPrimaryKeyString()}'");
}
