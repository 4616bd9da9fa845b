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
    [Id(5)] public Dictionary<string, QuotaHold> Holds { get; set; } = new(StringComparer.Ordinal);
    [Id(6)] public Dictionary<string, CommittedResource> Committed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"kind:name" to the task (while held) or the resource (once committed) that owns the name.</summary>
    [Id(7)] public Dictionary<string, string> Names { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Task ids, oldest first.</summary>
    [Id(8)] public List<string> Tasks { get; set; } = [];

    /// <summary>
    /// Holds that expired, most recent last, kept (bounded) so that a late commit can reserve its
    /// amount again when it still fits instead of losing track of what it asked for.
    /// </summary>
    [Id(9)] public List<QuotaHold> Expired { get; set; } = [];

    public const int MaxExpiredKept = 256;

    /// <summary>
    /// Every job of the tenant, oldest first: its tasks (each task is also a job) and the external jobs
    /// reported to it. Built from <see cref="Tasks"/> the first time a tenant saved before it existed is used.
    /// </summary>
    [Id(10)] public List<string> Jobs { get; set; } = [];

    [Id(11)] public bool JobsIndexed { get; set; }

    /// <summary>Jobs taken off the job list (cleared); they stay readable by id.</summary>
    [Id(12)] public HashSet<string> ClearedJobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Adds a task to the task and job lists; false when it was already there (a retried submit).</summary>
    public bool IndexTask(string taskId)
    {
        EnsureJobIndex();
        if (Tasks.Contains(taskId))
        {
            return false;
        }

        Tasks.Add(taskId);
        Jobs.Add(taskId);
        return true;
    }

    public bool IndexJob(string jobId)
    {
        EnsureJobIndex();
        if (Jobs.Contains(jobId))
        {
            return false;
        }

        Jobs.Add(jobId);
        return true;
    }

    public bool ClearJob(string jobId)
    {
        EnsureJobIndex();
        return Jobs.Contains(jobId) && ClearedJobs.Add(jobId);
    }

    /// <summary>Newest first; the token is the position in the whole list to go on from.</summary>
    public Page<string> PageTasks(string? pageToken, int pageSize) => NewestFirst(Tasks, pageToken, pageSize, skip: null);

    /// <summary>Newest first, cleared jobs left out; the token is the position in the whole list to go on from.</summary>
    public Page<string> PageJobs(string? pageToken, int pageSize) =>
        NewestFirst(JobsIndexed ? Jobs : Tasks, pageToken, pageSize, ClearedJobs);

    private static Page<string> NewestFirst(List<string> ids, string? pageToken, int pageSize, HashSet<string>? skip)
    {
        var position = int.TryParse(pageToken, out var offset) && offset > 0 ? offset : 0;
        var size = Math.Clamp(pageSize, 1, 100);
        var items = new List<string>(size);
        while (position < ids.Count && items.Count < size)
        {
            var id = ids[ids.Count - 1 - position];
            position++;
            if (skip is null || !skip.Contains(id))
            {
                items.Add(id);
            }
        }

        var next = position < ids.Count ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new Page<string>(items, next);
    }

    private void EnsureJobIndex()
    {
        if (!JobsIndexed)
        {
            Jobs = [.. Tasks];
            JobsIndexed = true;
        }
    }

    public ResourceAmount Used => ResourceAmount.Sum(Committed.Values.Select(c => c.Amount));

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
        if (nameKey is not null && Names.TryGetValue(nameKey, out var owner) && owner != request.TaskId)
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
            Names[nameKey] = request.TaskId;
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
        Committed[resourceId] = new CommittedResource(resourceId, hold.ResourceKind, hold.ResourceName, hold.Amount, taskId);
        var nameKey = NameKey(hold.ResourceKind, hold.ResourceName);
        if (nameKey is not null)
        {
            Names[nameKey] = resourceId;
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
        Committed[resourceId] = resource with { Amount = newAmount, TaskId = taskId };
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

        var nameKey = NameKey(resource.Kind, resource.Name);
        if (nameKey is not null && Names.TryGetValue(nameKey, out var owner) && owner == resourceId)
        {
            Names.Remove(nameKey);
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
        if (nameKey is not null && Names.TryGetValue(nameKey, out var owner) && owner == taskId)
        {
            Names.Remove(nameKey);
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
