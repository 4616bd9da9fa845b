using OrleansCloud.Common;

namespace OrleansCloud.Tasks;

/// <summary>
/// One request's saga. <see cref="Submit"/> persists the task, holds quota and claims capacity
/// before it answers; the host work then continues in the grain, watched by a reminder.
/// </summary>
[Alias("oc.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the task. Answers the task (202 material) or an expected error: validation, not found,
    /// conflict, quota exceeded, no capacity, invalid state transition. A second call with the same
    /// fingerprint answers the same task; a different request under the same id is a conflict.
    /// </summary>
    [Alias("Submit")]
    Task<Result<TaskView>> Submit(TaskRequest request);

    /// <summary>The task as seen by <paramref name="tenantScope"/> (null: an administrator).</summary>
    [AlwaysInterleave, Alias("Get")]
    Task<Result<TaskView>> Get(string? tenantScope);

    /// <summary>Moves the saga on from its last durable state; used by the watchdog and after a restart.</summary>
    [Alias("Resume")]
    Task Resume();

    /// <summary>
    /// The watchdog's nudge (one-way): <see cref="Resume"/>, and a task that has ended (or never was)
    /// also leaves <paramref name="watchdog"/>'s list.
    /// </summary>
    [OneWay, Alias("Wake")]
    Task Wake(string watchdog);

    /// <summary>Takes the task off its tenant's job list (it stays on the task list and readable by id). Idempotent.</summary>
    [Alias("ClearFromJobList")]
    Task ClearFromJobList();
}
