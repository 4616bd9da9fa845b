using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansCloud.Grains.Common;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Tasks;

/// <summary>
/// One bucket of the tasks' watchdog. Its list is written with group commit (tasks accepted or ended
/// together share a write), and its one reminder, armed when it activates and kept, fires every
/// <see cref="TaskOptions.WatchdogPeriod"/> on whichever silo owns it, so a crash of the silo running a
/// task or this grain loses nothing: the next tick, elsewhere, wakes every listed task.
/// </summary>
[Reentrant]
public sealed partial class TaskWatchdogGrain(
    [PersistentState("watchdog")] IPersistentState<TaskWatchdogState> state,
    IOptions<TaskOptions> options,
    ILogger<TaskWatchdogGrain> logger) : Grain, ITaskWatchdogGrain, IRemindable
{
    private const string SweepName = "sweep";

    private GroupCommit<TaskWatchdogState>? _commits;

    private TaskWatchdogState S => Commits.State;

    private GroupCommit<TaskWatchdogState> Commits => _commits ??= new(state, s => s.Clone(), DeactivateOnIdle);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Once per activation (the reminder outlives it): the period follows the setting of the silo that activates it.
        var period = options.Value.WatchdogPeriod;
        await this.RegisterOrUpdateReminder(SweepName, period, period);
    }

    public async Task Track(string taskId)
    {
        if (S.Tasks.Add(taskId))
        {
            await Commits.Commit();
        }
        else
        {
            // Listed (or not) already, perhaps by a write still under way: answer once it is durable.
            await Commits.Flushed();
        }
    }

    public async Task Untrack(string taskId)
    {
        if (S.Tasks.Remove(taskId))
        {
            await Commits.Commit();
        }
        else
        {
            // Listed (or not) already, perhaps by a write still under way: answer once it is durable.
            await Commits.Flushed();
        }
    }

    public Task<IReadOnlyList<string>> Tracked() => Task.FromResult<IReadOnlyList<string>>([.. S.Tasks.Order(StringComparer.Ordinal)]);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // A copy: the list changes while the tasks are woken (this grain is reentrant).
        var bucket = this.GetPrimaryKeyString();
        foreach (var taskId in S.Tasks.ToList())
        {
            try
            {
                // One-way: a task's saga may run long; the tick only makes sure it moves.
                _ = GrainFactory.Ref<ITaskGrain>(taskId).Wake(bucket);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogWakeFailed(logger, ex, taskId);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The watchdog could not wake task {TaskId}; it tries again next period")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string taskId);
}

[GenerateSerializer, Alias("oc.TaskWatchdogState")]
public sealed class TaskWatchdogState
{
    [Id(0)] public HashSet<string> Tasks { get; set; } = new(StringComparer.Ordinal);

    public TaskWatchdogState Clone() => new() { Tasks = new(Tasks, StringComparer.Ordinal) };
}
