using OrleansCloud.Grains.Tasks;
using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Actions;

/// <summary>
/// One action the saga engine can run ("vm.create", "vm.migrate", ...), found by name in the
/// <see cref="TaskActionRegistry"/>. The engine calls it in this order and persists the task
/// between every call, so each method must be idempotent (a crash replays it):
/// <list type="number">
/// <item><see cref="Reserve"/> at submission: quota holds, capacity claims, a hold on the target.
///   A refusal answers at once and must leave nothing reserved.</item>
/// <item><see cref="Prepare"/> once accepted: grain-side records (e.g. the VM in provisioning).</item>
/// <item>The <see cref="Steps"/> on the hosts, in order, each retried with backoff.</item>
/// <item><see cref="Finalize"/>: settle quota and capacity, record the outcome.</item>
/// </list>
/// When a step fails for good (or the deadline passes), the engine runs the undo of every step that
/// ran, in reverse order, then <see cref="Compensate"/>.
/// </summary>
public interface ITaskActionDefinition
{
    /// <summary>The action's name in the API ("vm.create").</summary>
    string Name { get; }

    /// <summary>The payload record this action carries.</summary>
    Type PayloadType { get; }

    /// <summary>The kind of resource the action targets ("vm"), or null when it creates one and takes no target.</summary>
    string? TargetKind { get; }

    /// <summary>The grain's own check of a request (the API validated it already): bounds, target shape.</summary>
    Error? Validate(TaskRequest request);

    Task<Result> Reserve(SagaContext saga);

    /// <summary>Gives back what <see cref="Reserve"/> took, for a submission that was never accepted. Idempotent.</summary>
    Task Unreserve(SagaContext saga);

    Task<Result> Prepare(SagaContext saga);

    /// <summary>The host work, in order. Must be the same list on every call for the same task (it may read what Reserve recorded).</summary>
    IReadOnlyList<HostStep> Steps(SagaContext saga);

    Task<Result> Finalize(SagaContext saga);

    /// <summary>
    /// Undoes <see cref="Prepare"/> and <see cref="Reserve"/> after the host steps were undone.
    /// Answers true when everything is as it was before the task (rolled back), false when the
    /// resource is left in a failed state.
    /// </summary>
    Task<bool> Compensate(SagaContext saga);
}
