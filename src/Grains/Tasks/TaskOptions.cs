namespace OrleansCloud.Grains.Tasks;

/// <summary>Saga settings (section "Tasks").</summary>
public sealed class TaskOptions
{
    public const string Section = "Tasks";

    /// <summary>A task not final by then is failed and compensated.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Quota holds outlive the deadline so that compensation always finds them.</summary>
    public TimeSpan HoldMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts of one host operation before the task gives up on it.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles on every further attempt, up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A host operation that fails in a way worth retrying (the agent did not answer, the hypervisor
    /// was busy) is retried at least this long after its first attempt, even past
    /// <see cref="MaxAttempts"/>: an agent restarting or a silo failing over is outlasted, not failed for.
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Period of the watchdog reminder that resumes a task after a crash.</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many watchdog buckets list the unfinished tasks (each one grain with one reminder). More
    /// buckets spread the lists' writes; fewer let more tasks share a write.
    /// </summary>
    public int WatchdogBuckets { get; set; } = 8;

    /// <summary>Most log lines kept per task.</summary>
    public int MaxLogLines { get; set; } = 200;
}
