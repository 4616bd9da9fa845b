using OrleansCloud.Common;

namespace OrleansCloud.Tasks;

[GenerateSerializer, Immutable, Alias("oc.TaskView")]
public sealed record TaskView(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Action,
    [property: Id(3)] TaskState State,
    [property: Id(4)] int Attempts,
    [property: Id(5)] IReadOnlyList<StepView> Steps,
    [property: Id(6)] TaskOutcome? Result,
    [property: Id(7)] Error? Error,
    [property: Id(8)] IReadOnlyList<string> Logs,
    [property: Id(9)] string RequestedBy,
    [property: Id(10)] TaskTarget? Target,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] DateTimeOffset? CompletedAt,
    [property: Id(14)] DateTimeOffset Deadline,
    [property: Id(15)] IReadOnlyDictionary<string, string> Resources,
    [property: Id(16)] IReadOnlyDictionary<string, string> Hosts)
{
    public bool IsFinal => State is TaskState.Succeeded or TaskState.Failed or TaskState.RolledBack or TaskState.Cancelled;
}
