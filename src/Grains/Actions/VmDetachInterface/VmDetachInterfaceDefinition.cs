using OrleansCloud.Actions.VmDetachInterface;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmDetachInterface;

/// <summary>
/// vm.detachInterface: the VM is held at submission; on the host the interface is unplugged (live too
/// when the VM runs) and the network removed from the host when no VM there uses it; success gives
/// the address back to the network and drops the interface from the VM. A failure plugs it back.
/// </summary>
public sealed class VmDetachInterfaceDefinition : TaskActionDefinition<VmDetachInterfacePayload>
{
    public override string Name => VmDetachInterfacePayload.Action;

    public override string? TargetKind => ResourceKinds.Vm;

    protected override Error? Validate(VmDetachInterfacePayload payload) =>
        VmLimits.IsValidName(payload.Network) ? null : Error.Validation("data.network", "must be a network name");

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var found = await saga.TargetVm();
        if (!found.IsSuccess)
        {
            return Result.Fail(found.Error);
        }

        var name = PayloadOf(saga).Network;
        if (found.Value.Host is not { } host)
        {
            return Result.Fail(ErrorCodes.InvalidStateTransition, $"VM '{found.Value.VmId}' is on no host.");
        }

        if (!(found.Value.Spec.Interfaces ?? []).Any(i => i.Network == name))
        {
            return Result.Fail(Error.Validation("data.network", $"the VM has no interface on network '{name}'"));
        }

        saga.SetHost(HostRoles.Host, host);
        var begun = await saga.Vm.BeginChange(saga.TaskId, VmTrigger.InterfacesChanged);
        if (!begun.IsSuccess)
        {
            return Result.Fail(begun.Error);
        }

        // Read again now that the VM is held.
        if ((begun.Value.Spec.Interfaces ?? []).FirstOrDefault(i => i.Network == name) is not { } nic)
        {
            await saga.LetGoOfVm();
            return Result.Fail(Error.Validation("data.network", $"the VM has no interface on network '{name}'"));
        }

        TenantNetworks.Record(saga, [nic]);
        return Result.Ok;
    }

    public override Task Unreserve(SagaContext saga) => saga.LetGoOfVm();

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
    [
        new HostStep("main", HostRoles.Host,
            id => new DetachInterface(id, saga.VmId, Interface(saga)),
            Undo: id => new AttachInterface(id, saga.VmId, Interface(saga)),
            UndoAfterFailure: true),
    ];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        if (!vm.IsSuccess)
        {
            return Result.Fail(vm.Error);
        }

        var removed = Interface(saga);
        var spec = vm.Value.Spec;
        var left = (spec.Interfaces ?? []).Where(i => i.Owner != removed.Owner).ToList();
        var applied = await saga.Vm.Apply(VmTrigger.InterfacesChanged, new VmUpdate(saga.TaskId, Spec: spec with { Interfaces = left.Count > 0 ? left : null }));
        if (!applied.IsSuccess)
        {
            return Result.Fail(applied.Error);
        }

        await TenantNetworks.Detach(saga, [removed]);
        return Result.Ok;
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Unreserve(saga);
        return true;
    }

    private static VmInterface Interface(SagaContext saga) =>
        TenantNetworks.Recorded(saga) is [var only] ? only : throw new InvalidOperationException("the interface to detach was not recorded");
}
