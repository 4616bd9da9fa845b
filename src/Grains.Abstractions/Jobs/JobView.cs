using OrleansCloud.Tasks;

namespace OrleansCloud.Jobs;

/// <summary>An external job as recorded: its steps use the same model as a task's.</summary>
[GenerateSerializer, Immutable, Alias("oc.JobView")]
public sealed record JobView(
    [property: Id(0)] string JobId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Description,
    [property: Id(3)] string ActionType,
    [property: Id(4)] JobStatus Status,
    [property: Id(5)] string Owner,
    [property: Id(6)] DateTimeOffset StartTime,
    [property: Id(7)] DateTimeOffset? EndTime,
    [property: Id(8)] DateTimeOffset LastUpdated,
    [property: Id(9)] bool AutoCleared,
    [property: Id(10)] bool Cleared,
    [property: Id(11)] IReadOnlyList<StepView> Steps);
