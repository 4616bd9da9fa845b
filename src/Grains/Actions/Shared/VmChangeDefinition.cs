using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.Shared;

/// <summary>
/// An action that changes an existing VM on its host with one operation and moves no quota or
/// capacity (start, stop, reboot): it holds the VM for the change, so a second change or a delete
/// meanwhile is a conflict, and a change that fails leaves the VM in the state it had.
/// </summary>
public abstract class VmChangeDefinition<TPayload> : TaskActionDefinition<TPayload>
    where TPayload : TaskPayload
{
    public override string? TargetKind => ResourceKinds.Vm;

    /// <summary>The VM lifecycle trigger the change applies (its legality comes from the VM's table).</summary>
    protected abstract VmTrigger Change { get; }

    protected abstract HostOperation Operation(string operationId, string vmId, TPayload payload);

    public override Task<Result> Reserve(SagaContext saga) => saga.HoldTargetVm(Change);

    public override Task Unreserve(SagaContext saga) => saga.LetGoOfVm();

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
        [new HostStep("main", HostRoles.Host, id => Operation(id, saga.VmId, PayloadOf(saga)))];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var applied = await saga.Vm.Apply(Change, new VmUpdate(saga.TaskId));
        return applied.IsSuccess ? Result.Ok : Result.Fail(ErrorCodes.InvalidStateTransition, $"the VM could not record the change: {applied.Error.Message}");
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        // Nothing was reserved but the VM itself: it keeps its observed state.
        await Unreserve(saga);
        return true;
    }
}
