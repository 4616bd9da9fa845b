using OrleansCloud.Grains.Tasks;
using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Actions;

/// <summary>The typed base of a definition: the payload comes cast, and the defaults do nothing.</summary>
public abstract class TaskActionDefinition<TPayload> : ITaskActionDefinition
    where TPayload : TaskPayload
{
    public abstract string Name { get; }

    public Type PayloadType => typeof(TPayload);

    public abstract string? TargetKind { get; }

    public Error? Validate(TaskRequest request)
    {
        if (request.Payload is not TPayload payload)
        {
            return Error.Validation("data", $"{Name} needs a {typeof(TPayload).Name}");
        }

        if (TargetKind is null && request.Target is not null)
        {
            return Error.Validation("target", $"{Name} takes no target");
        }

        if (TargetKind is not null && (request.Target is null || request.Target.Kind != TargetKind || request.Target.RefId.Length == 0))
        {
            return Error.Validation("target", $"{Name} needs a target of kind '{TargetKind}'");
        }

        return Validate(payload);
    }

    protected virtual Error? Validate(TPayload payload) => null;

    protected static TPayload PayloadOf(SagaContext saga) => (TPayload)saga.Request.Payload;

    public abstract Task<Result> Reserve(SagaContext saga);

    public abstract Task Unreserve(SagaContext saga);

    public virtual Task<Result> Prepare(SagaContext saga) => Task.FromResult(Result.Ok);

    public abstract IReadOnlyList<HostStep> Steps(SagaContext saga);

    public abstract Task<Result> Finalize(SagaContext saga);

    public abstract Task<bool> Compensate(SagaContext saga);
}
