using System.Text.Json;

namespace OrleansCloud.Tasks;

/// <summary>One spelling of a task's status everywhere it appears: the task, its events, logs.</summary>
public static class TaskStatuses
{
    /// <summary>camelCase of the state: pending, accepted, running, compensating, succeeded, failed, rolledBack, cancelled.</summary>
    public static string Wire(TaskState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}
