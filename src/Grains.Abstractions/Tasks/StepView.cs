namespace OrleansCloud.Tasks;

/// <summary>One recorded step of a task (the job/step model of api.md).</summary>
[GenerateSerializer, Immutable, Alias("oc.StepView")]
public sealed record StepView(
    [property: Id(0)] string StepId,
    [property: Id(1)] int Number,
    [property: Id(2)] StepType Type,
    [property: Id(3)] StepStatus Status,
    [property: Id(4)] string Description,
    [property: Id(5)] string? ParentStepId,
    [property: Id(6)] DateTimeOffset StartTime,
    [property: Id(7)] DateTimeOffset? EndTime);
