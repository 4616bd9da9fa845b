using OrleansCloud.Grains.Common;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tenants;

/// <summary>
/// A tenant's durable state and its quota ledger. The methods are pure (time comes in as an
/// argument) so the invariant "used + live holds never exceeds the limits" is tested without Orleans.
/// </summary>
[GenerateSerializer, Alias("oc.TenantState")]
public sealed class TenantState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public ResourceAmount Limits { get; set; } = ResourceAmount.Zero;
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public long Version { get; set; }
    /// <summary>Live holds by task id.</summary>
    [Id(13)] public SealedMap<QuotaHold> Holds { get; set; } = new();

    /// <summary>Committed usage, one entry per live resource.</summary>
    [Id(14)] public SealedMap<CommittedResource> Committed { get; set; } = new();

    // [Id(15)] was the names in use, stored as a sealed map of their own: they are what the holds and the
    // committed resources already say (see Names), so they are no longer written. Old states' chunk rows
    // for it are left unread.

    /// <summary>Legacy: <see cref="Holds"/> as states stored it whole before the maps were sealed in chunks.</summary>
    [Id(5)] public Dictionary<string, QuotaHold> LegacyHolds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Legacy, as <see cref="LegacyHolds"/>.</summary>
    [Id(6)] public Dictionary<string, CommittedResource> LegacyCommitted { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Legacy, as <see cref="LegacyHolds"/> (read and dropped: the names follow from the holds and resources).</summary>
    [Id(7)] public Dictionary<string, string> LegacyNames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// "kind:name" to the task (while held) or the resource (once committed) that owns the name: built from
    /// <see cref="Holds"/> and <see cref="Committed"/> on first use and kept up to date with them, never
    /// stored. Storing it as a map of its own wrote every name twice and sealed a third ledger.
    /// </summary>
    public IReadOnlyDictionary<string, string> Names => NameOwners;

    [NonSerialized]
    private Dictionary<string, string>? _names;

    private Dictionary<string, string> NameOwners => _names ??= BuildNames();

    private Dictionary<string, string> BuildNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in Committed.Values)
        {
            if (NameKey(resource.Kind, resource.Name) is { } key)
            {
                names[key] = resource.ResourceId;
            }
        }

        // A committed resource keeps its name over a hold that names it too (a hold is refused a name in use).
        foreach (var hold in Holds.Values)
        {
            if (NameKey(hold.ResourceKind, hold.ResourceName) is { } key)
            {
                names.TryAdd(key, hold.TaskId);
            }
        }

        return names;
    }

    /// <summary>Moves what a state stored before the sealed maps into them (their overlay); true when there was any.</summary>
    public bool UpgradeLegacyMaps()
    {
        var any = LegacyHolds.Count + LegacyCommitted.Count + LegacyNames.Count > 0;
        foreach (var (key, value) in LegacyHolds)
        {
            Holds[key] = value;
        }

        foreach (var (key, value) in LegacyCommitted)
        {
            SetCommitted(key, value);
        }

        LegacyHolds = new(StringComparer.Ordinal);
        LegacyCommitted = new(StringComparer.Ordinal);
        LegacyNames = new(StringComparer.Ordinal);
        _names = null;
        return any;
    }

    /// <summary>Reads the sealed parts of the maps (at activation, before any decision).</summary>
    public async Task LoadSealedMaps(SealedChunks chunks)
    {
        await chunks.Load("holds", Holds);
        await chunks.Load("committed", Committed);
        _used = null;
        _names = null;
    }

    /// <summary>Seals the maps whose overlay has grown, before a write of this state (see <see cref="SealedChunks.Seal"/>).</summary>
    public async Task SealMaps(SealedChunks chunks)
    {
        await chunks.Seal("holds", Holds);
        await chunks.Seal("committed", Committed);
    }

    /// <summary>
    /// Legacy: task ids, oldest first, as tenants stored them before the lists moved to the tenant's
    /// index grains (<see cref="ITenantIndexGrain"/>). Read once by the index's migration, then emptied.
    /// </summary>
    [Id(8)] public List<string> Tasks { get; set; } = [];

    /// <summary>
    /// Holds that expired, most recent last, kept (bounded) so that a late commit can reserve its
    /// amount again when it still fits instead of losing track of what it asked for.
    /// </summary>
    [Id(9)] public List<QuotaHold> Expired { get; set; } = [];

    public const int MaxExpiredKept = 256;

    /// <summary>Legacy, as <see cref="Tasks"/>: every job id (tasks' and external ones), oldest first, when <see cref="JobsIndexed"/>.</summary>
    [Id(10)] public List<string> Jobs { get; set; } = [];

    [Id(11)] public bool JobsIndexed { get; set; }

    /// <summary>Legacy, as <see cref="Tasks"/>: jobs taken off the job list.</summary>
    [Id(12)] public HashSet<string> ClearedJobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The legacy lists as index entries, oldest first (the job order when there was one).</summary>
    public IReadOnlyList<IndexEntry> LegacyIndex()
    {
        var tasks = new HashSet<string>(Tasks, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = JobsIndexed ? Jobs.Concat(Tasks) : Tasks;
        return [.. ids.Where(seen.Add).Select(id => new IndexEntry(
            id, tasks.Contains(id) ? IndexedKind.Task : IndexedKind.ExternalJob, Cleared: ClearedJobs.Contains(id)))];
    }

    /// <summary>Empties the legacy lists; true when there was anything to forget.</summary>
    public bool DropLegacyIndex()
    {
        var any = Tasks.Count > 0 || Jobs.Count > 0 || ClearedJobs.Count > 0 || JobsIndexed;
        Tasks = [];
        Jobs = [];
        ClearedJobs = new HashSet<string>(StringComparer.Ordinal);
        JobsIndexed = false;
        return any;
    }

    /// <summary>
    /// A copy whose collections are new and whose elements are shared (they are immutable records and
    /// strings): what a group commit writes while later calls change the live state. Every stored
    /// property is copied (TenantStateCloneTests lists them, so a new one cannot be forgotten here).
    /// </summary>
    public TenantState Clone() => new()
    {
        Exists = Exists,
        Name = Name,
        Limits = Limits,
        CreatedAt = CreatedAt,
        Version = Version,
        Holds = Holds.Snapshot(),
        Committed = Committed.Snapshot(),
        LegacyHolds = new(LegacyHolds, StringComparer.Ordinal),
        LegacyCommitted = new(LegacyCommitted, StringComparer.Ordinal),
        LegacyNames = new(LegacyNames, StringComparer.Ordinal),
        Tasks = [.. Tasks],
        Expired = [.. Expired],
        Jobs = [.. Jobs],
        JobsIndexed = JobsIndexed,
        ClearedJobs = new(ClearedJobs, StringComparer.Ordinal),
    };

    /// <summary>
    /// What the committed resources use, summed once and then kept up to date by every change of
    /// <see cref="Committed"/> (all of them go through <see cref="SetCommitted"/> and <see cref="ReleaseUsage"/>):
    /// summing every resource on each hold made a quota check cost as much as the tenant's history.
    /// Not stored; a loaded or copied state sums again on first use.
    /// </summary>
    public ResourceAmount Used => _used ??= ResourceAmount.Sum(Committed.Values.Select(c => c.Amount));

    [NonSerialized]
    private ResourceAmount? _used;

    private void SetCommitted(string resourceId, CommittedResource resource)
    {
        if (_used is { } used)
        {
            _used = used - (Committed.TryGetValue(resourceId, out var old) ? old.Amount : ResourceAmount.Zero) + resource.Amount;
        }

        Committed[resourceId] = resource;
    }

    public ResourceAmount HeldAt(DateTimeOffset now) =>
        ResourceAmount.Sum(Holds.Values.Where(h => h.ExpiresAt > now).Select(h => h.Amount));

    /// <summary>Drops expired holds and the names they reserved; true when anything changed.</summary>
    public bool SweepExpired(DateTimeOffset now)
    {
        var expired = Holds.Values.Where(h => h.ExpiresAt <= now).Select(h => h.TaskId).ToList();
        foreach (var taskId in expired)
        {
            Expired.Add(Holds[taskId]);
            RemoveHold(taskId);
        }

        if (Expired.Count > MaxExpiredKept)
        {
            Expired.RemoveRange(0, Expired.Count - MaxExpiredKept);
        }

        return expired.Count > 0;
    }

    public Result<QuotaHold> TryHold(HoldRequest request, DateTimeOffset now)
    {
        if (Holds.TryGetValue(request.TaskId, out var existing) && existing.ExpiresAt > now)
        {
            return existing;
        }

        if (!request.Amount.IsNonNegative || request.Ttl <= TimeSpan.Zero)
        {
            return Error.Validation("amount", "a hold needs a non-negative amount and a positive TTL");
        }

        SweepExpired(now);
        var nameKey = NameKey(request.ResourceKind, request.ResourceName);
        if (nameKey is not null && NameOwners.TryGetValue(nameKey, out var owner) && owner != request.TaskId)
        {
            return Error.Conflict($"A {request.ResourceKind} named '{request.ResourceName}' already exists in tenant.");
        }

        var wouldUse = Used + HeldAt(now) + request.Amount;
        if (!wouldUse.FitsWithin(Limits))
        {
            return new Error(ErrorCodes.QuotaExceeded, DescribeExcess(wouldUse));
        }

        var hold = new QuotaHold(request.TaskId, request.Amount, now + request.Ttl, request.ResourceKind, request.ResourceName);
        Holds[request.TaskId] = hold;
        if (nameKey is not null)
        {
            NameOwners[nameKey] = request.TaskId;
        }

        return hold;
    }

    /// <summary>
    /// Moves a hold into committed usage. A hold that expired is re-reserved if it still fits, so a
    /// late commit can never push usage past the limits.
    /// </summary>
    public Result Commit(string taskId, string resourceId, DateTimeOffset now)
    {
        if (Committed.TryGetValue(resourceId, out var done) && done.TaskId == taskId)
        {
            return Result.Ok;
        }

        if (!Holds.TryGetValue(taskId, out var hold))
        {
            hold = Expired.LastOrDefault(h => h.TaskId == taskId);
            if (hold is null)
            {
                return Result.Fail(ErrorCodes.NotFound, $"No quota hold for task {taskId}.");
            }
        }

        if (hold.ExpiresAt <= now)
        {
            RemoveHold(taskId);
            Expired.RemoveAll(h => h.TaskId == taskId);
            var again = TryHold(new HoldRequest(taskId, hold.Amount, TimeSpan.FromMinutes(1), hold.ResourceKind, hold.ResourceName), now);
            if (!again.IsSuccess)
            {
                return Result.Fail(again.Error);
            }
        }

        Holds.Remove(taskId);
        SetCommitted(resourceId, new CommittedResource(resourceId, hold.ResourceKind, hold.ResourceName, hold.Amount, taskId));
        var nameKey = NameKey(hold.ResourceKind, hold.ResourceName);
        if (nameKey is not null)
        {
            NameOwners[nameKey] = resourceId;
        }

        return Result.Ok;
    }

    /// <summary>
    /// Gives a committed resource its new size (a resize): the growth was held by the task, a shrink
    /// gives quota back. Idempotent per task. Without a live hold, growth is checked against the limits again.
    /// </summary>
    public Result CommitChange(string taskId, string resourceId, ResourceAmount newAmount, DateTimeOffset now)
    {
        if (!Committed.TryGetValue(resourceId, out var resource))
        {
            return Result.Fail(ErrorCodes.NotFound, $"No committed resource {resourceId}.");
        }

        if (resource.TaskId == taskId)
        {
            return Result.Ok;
        }

        var growth = (newAmount - resource.Amount).PositivePart();
        var live = Holds.TryGetValue(taskId, out var hold) && hold.ExpiresAt > now;
        if (!live && !growth.IsZero)
        {
            RemoveHold(taskId);
            var wouldUse = Used + HeldAt(now) + growth;
            if (!wouldUse.FitsWithin(Limits))
            {
                return new Error(ErrorCodes.QuotaExceeded, DescribeExcess(wouldUse));
            }
        }

        RemoveHold(taskId);
        Expired.RemoveAll(h => h.TaskId == taskId);
        SetCommitted(resourceId, resource with { Amount = newAmount, TaskId = taskId });
        return Result.Ok;
    }

    public bool Release(string taskId)
    {
        var forgotten = Expired.RemoveAll(h => h.TaskId == taskId) > 0;
        if (!Holds.ContainsKey(taskId))
        {
            return forgotten;
        }

        RemoveHold(taskId);
        return true;
    }

    public bool ReleaseUsage(string resourceId)
    {
        if (!Committed.Remove(resourceId, out var resource))
        {
            return false;
        }

        if (_used is { } used)
        {
            _used = used - resource.Amount;
        }

        var nameKey = NameKey(resource.Kind, resource.Name);
        if (nameKey is not null && NameOwners.TryGetValue(nameKey, out var owner) && owner == resourceId)
        {
            NameOwners.Remove(nameKey);
        }

        return true;
    }

    private void RemoveHold(string taskId)
    {
        if (!Holds.Remove(taskId, out var hold))
        {
            return;
        }

        var nameKey = NameKey(hold.ResourceKind, hold.ResourceName);
        if (nameKey is not null && NameOwners.TryGetValue(nameKey, out var owner) && owner == taskId)
        {
            NameOwners.Remove(nameKey);
        }
    }

    private string DescribeExcess(ResourceAmount wouldUse)
    {
        var over = new List<string>();
        if (wouldUse.Vcpus > Limits.Vcpus) over.Add($"vcpus {wouldUse.Vcpus}/{Limits.Vcpus}");
        if (wouldUse.RamMb > Limits.RamMb) over.Add($"ramMb {wouldUse.RamMb}/{Limits.RamMb}");
        if (wouldUse.DiskGb > Limits.DiskGb) over.Add($"diskGb {wouldUse.DiskGb}/{Limits.DiskGb}");
        if (wouldUse.Vms > Limits.Vms) over.Add($"vms {wouldUse.Vms}/{Limits.Vms}");
        return $"The request would exceed the tenant's quota: {string.Join(", ", over)} (used + held + requested / limit).";
    }

    private static string? NameKey(string kind, string? name) => name is null ? null : $"{kind}:{name}";
}
