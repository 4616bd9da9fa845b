using System.Text.Json;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Tasks;

/// <summary>The task envelope of api.md. <c>data</c> stays raw: each action has its own schema.</summary>
public sealed record TaskEnvelope(string? TenantId, string? Action, TaskTargetDto? Target, JsonElement? Data);

public sealed record TaskTargetDto(string? Kind, string? RefId);

public sealed record TaskAcceptedDto(string TaskId, string Status, string StatusUrl);

public sealed record TaskErrorDto(string Code, string Message);

/// <summary>What a task made or acted on: <c>vmId</c> (and its host) for VM actions, <c>networkId</c> (only then present) for network actions.</summary>
public sealed record TaskResultDto(
    string? VmId,
    string? Host,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NetworkId = null);

public sealed record StepDto(
    string StepId, int Number, string Type, string Status, string Description, string? ParentStepId,
    DateTimeOffset StartTime, DateTimeOffset? EndTime, bool External);

public sealed record TaskDto(
    string TaskId,
    string TenantId,
    string Action,
    string Status,
    int Attempts,
    string RequestedBy,
    TaskTargetDto? Target,
    IReadOnlyList<StepDto> Steps,
    TaskResultDto? Result,
    TaskErrorDto? Error,
    IReadOnlyList<string> Logs,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset Deadline)
{
    public static TaskDto From(TaskView view) => new(
        view.TaskId,
        view.TenantId,
        view.Action,
        StatusOf(view.State),
        view.Attempts,
        view.RequestedBy,
        view.Target is null ? null : new TaskTargetDto(view.Target.Kind, view.Target.RefId),
        [.. view.Steps.Select(s => new StepDto(
            s.StepId, s.Number, s.Type.ToString().ToUpperInvariant(), StepStatusOf(s.Status), s.Description,
            s.ParentStepId, s.StartTime, s.EndTime, External: false))],
        view.Result is null ? null : new TaskResultDto(view.Result.VmId, view.Result.Host, view.Result.Resources.GetValueOrDefault(ResourceKinds.Network)),
        view.Error is null ? null : new TaskErrorDto(view.Error.Code, view.Error.Message),
        view.Logs,
        view.CreatedAt,
        view.UpdatedAt,
        view.CompletedAt,
        view.Deadline);

    /// <summary>camelCase of the state: pending, accepted, running, compensating, succeeded, failed, rolledBack, cancelled.</summary>
    public static string StatusOf(TaskState state) => TaskStatuses.Wire(state);

    public static string StepStatusOf(StepStatus status) => status.ToString().ToUpperInvariant();
}
