using OrleansCloud.Common;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Tests.Tasks;

public sealed class TaskSagaTests
{
    private static readonly Dictionary<(TaskState, TaskTrigger), TaskState> Expected = new()
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
    };

    public static TheoryData<TaskState, TaskTrigger> EveryPair()
    {
        var data = new TheoryData<TaskState, TaskTrigger>();
        foreach (var state in Enum.GetValues<TaskState>())
        {
            foreach (var trigger in Enum.GetValues<TaskTrigger>())
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Next_ForEveryStateAndTrigger_FollowsTheTableOrRefuses(TaskState state, TaskTrigger trigger)
    {
        var result = TaskSaga.Next(state, trigger);

        if (Expected.TryGetValue((state, trigger), out var to))
        {
            Assert.True(result.IsSuccess);
            Assert.Equal(to, result.Value);
        }
        else
        {
            Assert.False(result.IsSuccess);
            Assert.Equal(ErrorCodes.InvalidStateTransition, result.Error!.Code);
        }
    }

    [Fact]
    public void Table_HasExactlyTheExpectedRows() =>
        Assert.Equal(Expected.OrderBy(e => e.Key), TaskSaga.Transitions.OrderBy(e => e.Key));

    [Fact]
    public void FinalStates_HaveNoWayOut()
    {
        foreach (var ((from, _), _) in TaskSaga.Transitions)
        {
            Assert.False(TaskSaga.IsFinal(from), $"{from} is final but has a transition");
        }
    }

    [Fact]
    public void EveryNonFinalState_ReachesAFinalState()
    {
        foreach (var state in Enum.GetValues<TaskState>().Where(s => !TaskSaga.IsFinal(s)))
        {
            var seen = new HashSet<TaskState> { state };
            var frontier = new Queue<TaskState>([state]);
            var reachesFinal = false;
            while (frontier.TryDequeue(out var current))
            {
                foreach (var next in TaskSaga.Transitions.Where(t => t.Key.From == current).Select(t => t.Value))
                {
                    reachesFinal |= TaskSaga.IsFinal(next);
                    if (seen.Add(next))
                    {
                        frontier.Enqueue(next);
                    }
                }
            }

            Assert.True(reachesFinal, $"{state} never reaches a final state");
        }
    }

    [Fact]
    public void EveryStateBeforeCompensation_CanRunOutOfTime()
    {
        foreach (var state in new[] { TaskState.Pending, TaskState.Accepted, TaskState.Running })
        {
            Assert.Equal(TaskState.Compensating, TaskSaga.Next(state, TaskTrigger.DeadlineExceeded).Value);
        }
    }
}
