using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Actions;

/// <summary>
/// One piece of host work in an action: the operation to run on the host that plays
/// <see cref="HostRole"/> in the task, and the operation that undoes it. The operation ids come from
/// the engine (task id and step name), so a replay sends the same id and the agent applies it once.
/// </summary>
/// <param name="Name">Unique within the action; part of the operation id and of what the step reports.</param>
/// <param name="HostRole">The task's host that runs it ("host", "source", "target").</param>
/// <param name="Operation">Builds the operation from its operation id.</param>
/// <param name="Undo">Builds the operation that reverses it, or null when nothing needs undoing.</param>
/// <param name="UndoAfterFailure">Undo also when this step itself failed (it may have half happened).</param>
/// <param name="RollForward">
/// Once begun, the step only goes forward: a retryable failure is retried until it succeeds or the
/// task's deadline, however many attempts that takes (a delete that may have reached the host is
/// finished, not rolled back).
/// </param>
public sealed record HostStep(
    string Name,
    string HostRole,
    Func<string, HostOperation> Operation,
    Func<string, HostOperation>? Undo = null,
    bool UndoAfterFailure = false,
    bool RollForward = false);
