namespace OrleansCloud.Tasks;

/// <summary>
/// The tasks' watchdog, in buckets (keyed "0".."n-1", a task's bucket from <see cref="TaskWatchdogKeys"/>):
/// a bucket lists its unfinished tasks durably and, every watchdog period, wakes each of them, so after
/// a silo crash every accepted task resumes from its last durable state. One list write per batch of
/// tasks replaces a reminder registered and removed per task.
/// </summary>
[Alias("oc.ITaskWatchdogGrain")]
public interface ITaskWatchdogGrain : IGrainWithStringKey
{
    /// <summary>Lists the task; answers once the list holding it is durable. Idempotent.</summary>
    [Alias("Track")]
    Task Track(string taskId);

    /// <summary>Takes the task off the list. Idempotent.</summary>
    [Alias("Untrack")]
    Task Untrack(string taskId);

    /// <summary>The tasks listed (tests and operators).</summary>
    [ReadOnly, Alias("Tracked")]
    Task<IReadOnlyList<string>> Tracked();
}

/// <summary>Which watchdog bucket a task belongs to: a hash of its id that every silo computes alike.</summary>
public static class TaskWatchdogKeys
{
    public static string For(string taskId, int buckets)
    {
        // FNV-1a: string.GetHashCode differs from process to process.
        var hash = 2166136261u;
        foreach (var c in taskId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (hash % (uint)Math.Max(1, buckets)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
