using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmCreate;

/// <summary>
/// vm.create: quota held and capacity claimed on an elected host at submission; the VM record, then
/// the domain on the host; on success the hold is committed, the claim confirmed and the VM running.
/// </summary>
public sealed class VmCreateDefinition : TaskActionDefinition<VmCreatePayload>
{
    private const string Main = "main";

    public override string Name => VmCreatePayload.Action;

    public override string? TargetKind => null;

    protected override Error? Validate(VmCreatePayload payload)
    {
        var errors = VmLimits.Check(payload.Spec);
        return errors.Count > 0 ? Error.Validation(errors) : null;
    }

    public static ResourceAmount AmountOf(VmSpec spec) => new(spec.Cpu, spec.RamMb, spec.DiskGb, 1);

    public static IReadOnlyList<string> CapabilitiesOf(VmSpec spec) => [Capabilities.Vm, $"gen{spec.Generation}"];

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var spec = PayloadOf(saga).Spec;
        saga.SetResource(ResourceKinds.Vm, TaskGrain.VmIdFor(saga.TaskId));
        var held = await saga.HoldQuota(AmountOf(spec), ResourceKinds.Vm, spec.Name);
        if (!held.IsSuccess)
        {
            return held;
        }

        var claimed = await saga.ElectAndClaim(HostRoles.Host, AmountOf(spec), CapabilitiesOf(spec), spec.Area, pool: spec.Pool);
        if (!claimed.IsSuccess)
        {
            await Unreserve(saga);
        }

        return claimed;
    }

    public override async Task Unreserve(SagaContext saga)
    {
        await saga.ReleaseQuota();
        await saga.ReleaseClaims();
    }

    public override async Task<Result> Prepare(SagaContext saga)
    {
        var provisioning = await saga.Vm.CreateProvisioning(saga.TenantId, VmCreateDisk.OnGrantedPool(PayloadOf(saga).Spec, saga), saga.TaskId, saga.Host(HostRoles.Host));
        return provisioning.IsSuccess ? Result.Ok : Result.Fail(provisioning.Error);
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
    [
        new HostStep(Main, HostRoles.Host,
            id => new CreateVm(id, saga.VmId, VmCreateDisk.OnGrantedPool(PayloadOf(saga).Spec, saga)),
            Undo: id => new DeleteVm(id, saga.VmId),
            UndoAfterFailure: true),
    ];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var committed = await saga.Tenant.CommitHold(saga.TaskId, saga.VmId);
        if (!committed.IsSuccess)
        {
            return committed;
        }

        var host = saga.Host(HostRoles.Host)!;
        await saga.HostGrain(host).ConfirmClaim(saga.TaskId, saga.VmId);
        await saga.Vm.Apply(VmTrigger.ProvisionSucceeded, new VmUpdate(saga.TaskId, host, saga.AddressesOf(Main)));
        return Result.Ok;
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        if (vm.IsSuccess && vm.Value.State is VmState.Pending or VmState.Provisioning)
        {
            await saga.Vm.Apply(VmTrigger.ProvisionFailed, new VmUpdate(saga.TaskId));
        }

        // Settle whatever the task may hold; each call is idempotent.
        await saga.Tenant.ReleaseUsage(saga.VmId);
        await saga.ReleaseQuota();
        foreach (var host in saga.ClaimedHosts)
        {
            await saga.HostGrain(host).ReleaseClaim(saga.TaskId);
            await saga.HostGrain(host).ReleaseAllocation(saga.VmId);
        }

        return true;
    }
}
