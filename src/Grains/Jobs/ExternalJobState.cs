using OrleansCloud.Jobs;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Jobs;

/// <summary>
/// An external job's durable record and its rules, pure (time comes in as an argument) so that every
/// path is tested without Orleans. A method that refuses changes nothing.
/// </summary>
[GenerateSerializer, Alias("oc.ExternalJobState")]
public sealed class ExternalJobState
{
    /// <summary>Steps a job may open; a runaway script must not grow the record without bound.</summary>
    public const int MaxSteps = 500;

    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string TenantId { get; set; } = "";
    [Id(2)] public string Description { get; set; } = "";
    [Id(3)] public string ActionType { get; set; } = "";
    [Id(4)] public string Owner { get; set; } = "";
    [Id(5)] public JobStatus Status { get; set; }
    [Id(6)] public DateTimeOffset StartTime { get; set; }
    [Id(7)] public DateTimeOffset? EndTime { get; set; }
    [Id(8)] public DateTimeOffset LastUpdated { get; set; }
    [Id(9)] public bool AutoCleared { get; set; }
    [Id(10)] public bool Cleared { get; set; }
    [Id(11)] public List<StepView> Steps { get; set; } = [];

    /// <summary>Numbers the job's events on the tenant's stream; saved with the change each one reports.</summary>
    [Id(12)] public long EventSequence { get; set; }

    /// <summary>
    /// Where the job's entry in the tenant's index is looked for: saved before it is listed, then the
    /// chunk that holds it (kept in memory; a later activation still finds it from the saved value).
    /// </summary>
    [Id(13)] public long? IndexChunk { get; set; }

    public Result Start(JobStart start, DateTimeOffset now)
    {
        if (Exists)
        {
            return Error.Conflict("This job has already been started.");
        }

        (Exists, TenantId, Description, ActionType, Owner, AutoCleared) =
            (true, start.TenantId, start.Description, start.ActionType, start.Owner, start.AutoCleared);
        (Status, StartTime, LastUpdated) = (JobStatus.Started, now, now);
        return Result.Ok;
    }

    /// <summary>Whether this record is what <paramref name="start"/> would have made.</summary>
    public bool StartedBy(JobStart start) =>
        Exists && (TenantId, Description, ActionType, Owner, AutoCleared) == (start.TenantId, start.Description, start.ActionType, start.Owner, start.AutoCleared);

    public Result<StepView> AddStep(string jobId, JobStepStart start, DateTimeOffset now)
    {
        if (Status != JobStatus.Started)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"The job is {Status}; it takes no more steps.");
        }

        if (start.ParentStepId is { } parentId)
        {
            var parent = Steps.FirstOrDefault(s => s.StepId == parentId);
            if (parent is null)
            {
                return Error.NotFound($"Parent step '{parentId}'");
            }

            if (parent.Status != StepStatus.Started)
            {
                return new Error(ErrorCodes.InvalidStateTransition, $"The parent step is {parent.Status}; it takes no more child steps.");
            }
        }

        if (Steps.Count >= MaxSteps)
        {
            return Error.Conflict($"A job has at most {MaxSteps} steps.");
        }

        var number = Steps.Count + 1;
        var step = new StepView($"{jobId}-s{number}", number, start.Type, StepStatus.Started, start.Description, start.ParentStepId, now, null);
        Steps.Add(step);
        LastUpdated = now;
        return step;
    }

    public Result<StepView> EndStep(string stepId, bool succeeded, DateTimeOffset now)
    {
        var index = Steps.FindIndex(s => s.StepId == stepId);
        if (index < 0)
        {
            return Error.NotFound($"Step '{stepId}'");
        }

        if (Status != JobStatus.Started)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"The job is {Status}; its steps are closed.");
        }

        var next = JobLifecycle.Next(Steps[index].Status, succeeded ? StepStatus.Finished : StepStatus.Failed);
        if (!next.IsSuccess)
        {
            return next.Error;
        }

        var openChildren = OpenDescendants(stepId).Count;
        if (openChildren > 0)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"Step '{stepId}' has {openChildren} open child step(s); end them first.");
        }

        Steps[index] = Steps[index] with { Status = next.Value, EndTime = now };
        LastUpdated = now;
        return Steps[index];
    }

    /// <summary>Ends the job; with <paramref name="force"/> its open steps are aborted, without it they refuse.</summary>
    public Result End(JobStatus requested, bool force, DateTimeOffset now)
    {
        var next = JobLifecycle.Next(Status, requested);
        if (!next.IsSuccess)
        {
            return next.Error;
        }

        var open = Steps.Count(s => s.Status == StepStatus.Started);
        if (open > 0 && !force)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"The job has {open} open step(s); end them first or end the job with force.");
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i].Status == StepStatus.Started)
            {
                Steps[i] = Steps[i] with { Status = StepStatus.Aborted, EndTime = now };
            }
        }

        (Status, EndTime, LastUpdated) = (next.Value, now, now);

        // Auto-cleared jobs leave the list when they finish; a failure stays until someone clears it.
        if (AutoCleared && Status == JobStatus.Finished)
        {
            Cleared = true;
        }

        return Result.Ok;
    }

    public Result Clear(DateTimeOffset now)
    {
        if (Status == JobStatus.Started)
        {
            return new Error(ErrorCodes.InvalidStateTransition, "A running job cannot be cleared; end it first.");
        }

        if (!Cleared)
        {
            (Cleared, LastUpdated) = (true, now);
        }

        return Result.Ok;
    }

    public JobView View(string jobId) =>
        new(jobId, TenantId, Description, ActionType, Status, Owner, StartTime, EndTime, LastUpdated, AutoCleared, Cleared, [.. Steps]);

    private List<StepView> OpenDescendants(string stepId)
    {
        var found = new List<StepView>();
        var parents = new Queue<string>([stepId]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in Steps.Where(s => s.ParentStepId == parent))
            {
                if (child.Status == StepStatus.Started)
                {
                    found.Add(child);
                }

                parents.Enqueue(child.StepId);
            }
        }

        return found;
    }
}
