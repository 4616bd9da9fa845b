using OrleansCloud.Api.Tasks;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Jobs;

/// <summary>A task seen as a job (api.md "Jobs and steps"): the same record, the job vocabulary.</summary>
public sealed record JobDto(
    string JobId,
    string TenantId,
    string Description,
    string ActionType,
    string Status,
    string Owner,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    DateTimeOffset LastUpdated,
    bool External,
    bool AutoCleared,
    IReadOnlyList<StepDto> Steps)
{
    public static JobDto From(TaskView task)
    {
        var dto = TaskDto.From(task);
        var subject = task.Target?.RefId ?? task.Result?.VmId ?? task.TaskId;
        return new JobDto(
            task.TaskId,
            task.TenantId,
            $"{dto.Action} {subject}",
            dto.Action,
            StatusOf(task.State),
            task.RequestedBy,
            task.CreatedAt,
            task.CompletedAt,
            task.UpdatedAt,
            External: false,
            AutoCleared: false,
            dto.Steps);
    }

    /// <summary>A job reported from outside: <c>external</c>, and so are its steps.</summary>
    public static JobDto From(JobView job) => new(
        job.JobId,
        job.TenantId,
        job.Description,
        job.ActionType,
        job.Status.ToString().ToUpperInvariant(),
        job.Owner,
        job.StartTime,
        job.EndTime,
        job.LastUpdated,
        External: true,
        job.AutoCleared,
        [.. job.Steps.Select(StepOf)]);

    public static StepDto StepOf(StepView step) => new(
        step.StepId, step.Number, step.Type.ToString().ToUpperInvariant(), TaskDto.StepStatusOf(step.Status), step.Description,
        step.ParentStepId, step.StartTime, step.EndTime, External: true);

    /// <summary>STARTED while the saga runs; FINISHED, FAILED (failed or rolled back) or ABORTED (cancelled) when it ends.</summary>
    public static string StatusOf(TaskState state) => state switch
    {
        TaskState.Succeeded => "FINISHED",
        TaskState.Failed or TaskState.RolledBack => "FAILED",
        TaskState.Cancelled => "ABORTED",
        TaskState.Pending or TaskState.Accepted or TaskState.Running or TaskState.Compensating => "STARTED",
        _ => "UNKNOWN",
    };
}
