using OrleansCloud.Actions.VmDelete;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmDelete;

/// <summary>
/// vm.delete: holds the VM at submission (no other change meanwhile), marks it deleting, removes it
/// from its host (which removes the networks no other VM there uses), then gives its quota, the
/// host's capacity and its interfaces' addresses back. The removal rolls forward: it
/// is retried until the host confirms it (deleting what is gone already succeeds) or the deadline;
/// only a delete the host refused for good leaves the VM failed and still counted, and
/// reconciliation releases it once its host no longer has it.
/// </summary>
public sealed class VmDeleteDefinition : TaskActionDefinition<VmDeletePayload>
{
    public override string Name => VmDeletePayload.Action;

    public override string? TargetKind => ResourceKinds.Vm;

    public override Task<Result> Reserve(SagaContext saga) => saga.HoldTargetVm(VmTrigger.Delete);

    public override Task Unreserve(SagaContext saga) => saga.LetGoOfVm();

    public override async Task<Result> Prepare(SagaContext saga)
    {
        var deleting = await saga.Vm.Apply(VmTrigger.Delete, new VmUpdate(saga.TaskId));
        return deleting.IsSuccess ? Result.Ok : Result.Fail(deleting.Error);
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
        [new HostStep("main", HostRoles.Host, id => new DeleteVm(id, saga.VmId), RollForward: true)];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        await saga.Vm.Apply(VmTrigger.DeleteSucceeded, new VmUpdate(saga.TaskId));
        if (vm.IsSuccess)
        {
            await TenantNetworks.Detach(saga, vm.Value.Spec.Interfaces);
        }

        await saga.Tenant.ReleaseUsage(saga.VmId);
        if (saga.Host(HostRoles.Host) is { } host)
        {
            await saga.HostGrain(host).ReleaseAllocation(saga.VmId);
        }

        return Result.Ok;
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        if (vm.IsSuccess && vm.Value.State == VmState.Deleting)
        {
            // The host may hold part of it: the VM is marked failed, still counted, and can be deleted again.
            await saga.Vm.Apply(VmTrigger.DeleteFailed, new VmUpdate(saga.TaskId));
            return false;
        }

        await Unreserve(saga);
        return true;
    }
}
