using OrleansCloud.Tasks;

namespace OrleansCloud.Jobs;

/// <summary>A step an external job opens, optionally under one of its open steps.</summary>
[GenerateSerializer, Immutable, Alias("oc.JobStepStart")]
public sealed record JobStepStart(
    [property: Id(0)] StepType Type,
    [property: Id(1)] string Description,
    [property: Id(2)] string? ParentStepId);
