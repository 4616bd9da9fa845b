using System.Collections.Frozen;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Jobs;

/// <summary>
/// External jobs and their steps as tables of (state, requested end) to state: only a started job or
/// step can end, once. Anything else is <see cref="ErrorCodes.InvalidStateTransition"/>, never a no-op.
/// </summary>
public static class JobLifecycle
{
    public static readonly FrozenDictionary<(JobStatus From, JobStatus Requested), JobStatus> JobTransitions =
        new Dictionary<(JobStatus, JobStatus), JobStatus>
        {
            [(JobStatus.Started, JobStatus.Finished)] = JobStatus.Finished,
            [(JobStatus.Started, JobStatus.Failed)] = JobStatus.Failed,
            [(JobStatus.Started, JobStatus.Aborted)] = JobStatus.Aborted,
        }.ToFrozenDictionary();

    public static readonly FrozenDictionary<(StepStatus From, StepStatus Requested), StepStatus> StepTransitions =
        new Dictionary<(StepStatus, StepStatus), StepStatus>
        {
            [(StepStatus.Started, StepStatus.Finished)] = StepStatus.Finished,
            [(StepStatus.Started, StepStatus.Failed)] = StepStatus.Failed,
            [(StepStatus.Started, StepStatus.Aborted)] = StepStatus.Aborted,
        }.ToFrozenDictionary();

    public static Result<JobStatus> Next(JobStatus from, JobStatus requested) =>
        JobTransitions.TryGetValue((from, requested), out var to)
            ? to
            : new Error(ErrorCodes.InvalidStateTransition, $"A job that is {from} cannot become {requested}.");

    public static Result<StepStatus> Next(StepStatus from, StepStatus requested) =>
        StepTransitions.TryGetValue((from, requested), out var to)
            ? to
            : new Error(ErrorCodes.InvalidStateTransition, $"A step that is {from} cannot become {requested}.");
}
