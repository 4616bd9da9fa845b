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

    /// <summary>First retry delay; doubles on every further attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the watchdog reminder that resumes a task after a crash.</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most log lines kept per task.</summary>
    public int MaxLogLines { get; set; } = 200;
}
