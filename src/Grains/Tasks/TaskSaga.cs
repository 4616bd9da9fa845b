using System.Collections.Frozen;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Tasks;

/// <summary>
/// The saga as a table of (state, trigger) to state. Every non-final state can be failed or run
/// out of time, and every path ends in a final state, so no task stays transitional.
/// </summary>
public static class TaskSaga
{
    public static readonly FrozenDictionary<(TaskState From, TaskTrigger Trigger), TaskState> Transitions =
        new Dictionary<(TaskState, TaskTrigger), TaskState>
        {
            [(TaskState.Pending, TaskTrigger.Reserve)] = TaskState.Accepted,
            [(TaskState.Pending, TaskTrigger.Reject)] = TaskState.Failed,
            [(TaskState.Pending, TaskTrigger.Fail)] = TaskState.Compensating,
            [(TaskState.Pending, TaskTrigger.DeadlineExceeded)] = TaskState.Compensating,
            [(TaskState.Accepted, TaskTrigger.Dispatch)] = TaskState.Running,
            [(TaskState.Accepted, TaskTrigger.Fail)] = TaskState.Compensating,
            [(TaskState.Accepted, TaskTrigger.DeadlineExceeded)] = TaskState.Compensating,
            [(TaskState.Running, TaskTrigger.Complete)] = TaskState.Succeeded,
            [(TaskState.Running, TaskTrigger.Fail)] = TaskState.Compensating,
            [(TaskState.Running, TaskTrigger.Abort)] = TaskState.Failed,
            [(TaskState.Running, TaskTrigger.DeadlineExceeded)] = TaskState.Compensating,
            [(TaskState.Compensating, TaskTrigger.Compensated)] = TaskState.RolledBack,
            [(TaskState.Compensating, TaskTrigger.CompensationFailed)] = TaskState.Failed,
        }.ToFrozenDictionary();

    public static bool IsFinal(TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.RolledBack or TaskState.Cancelled;

    public static Result<TaskState> Next(TaskState from, TaskTrigger trigger) =>
        Transitions.TryGetValue((from, trigger), out var to)
            ? to
            : new Error(ErrorCodes.InvalidStateTransition, $"A task that is {from} cannot take '{trigger}'.");
}
