using OrleansCloud.Actions.VmAttachInterface;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmAttachInterface;

/// <summary>
/// vm.attachInterface: at submission the VM is held and its new interface gets an address from the
/// network (a tenant network of the VM's area that the VM is not on yet); on the host the network is
/// realised and the interface plugged in (live too when the VM runs); success records it on the VM.
/// A failure unplugs it and gives the address back.
/// </summary>
public sealed class VmAttachInterfaceDefinition : TaskActionDefinition<VmAttachInterfacePayload>
{
    public override string Name => VmAttachInterfacePayload.Action;

    public override string? TargetKind => ResourceKinds.Vm;

    protected override Error? Validate(VmAttachInterfacePayload payload) =>
        VmLimits.IsValidName(payload.Network) ? null : Error.Validation("data.network", "must be a network name");

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var found = await saga.TargetVm();
        if (!found.IsSuccess)
        {
            return Result.Fail(found.Error);
        }

        if (found.Value.Host is not { } host)
        {
            return Result.Fail(ErrorCodes.InvalidStateTransition, $"VM '{found.Value.VmId}' is on no host.");
        }

        var network = await TenantNetworks.Find(saga, PayloadOf(saga).Network, "data.network");
        if (!network.IsSuccess)
        {
            return Result.Fail(network.Error);
        }

        var area = found.Value.Spec.Area ?? (await saga.HostGrain(host).Get() is { IsSuccess: true } h ? h.Value.Area : null);
        if (area is not null && network.Value.Spec.Area != area)
        {
            return Result.Fail(Error.Validation("data.network", $"network '{network.Value.Spec.Name}' is in area '{network.Value.Spec.Area}', not the VM's area '{area}'"));
        }

        saga.SetHost(HostRoles.Host, host);
        var begun = await saga.Vm.BeginChange(saga.TaskId, VmTrigger.InterfacesChanged);
        if (!begun.IsSuccess)
        {
            return Result.Fail(begun.Error);
        }

        // Read again now that the VM is held: no other change can move its interfaces any more.
        var interfaces = begun.Value.Spec.Interfaces ?? [];
        var refusal = interfaces.Any(i => i.NetworkId == network.Value.NetworkId)
            ? Error.Conflict($"VM '{begun.Value.VmId}' has an interface on network '{network.Value.Spec.Name}' already.")
            : interfaces.Count >= VmCreatePayload.MaxInterfaces
                ? Error.Validation("data.network", $"a VM has at most {VmCreatePayload.MaxInterfaces} interfaces")
                : null;
        var attached = refusal is null ? await TenantNetworks.Attach(saga, network.Value, saga.VmId, VmInterface.NextIndex(interfaces)) : refusal;
        if (!attached.IsSuccess)
        {
            await saga.LetGoOfVm();
            return Result.Fail(attached.Error);
        }

        TenantNetworks.Record(saga, [attached.Value]);
        return Result.Ok;
    }

    public override async Task Unreserve(SagaContext saga)
    {
        await TenantNetworks.Detach(saga, TenantNetworks.Recorded(saga));
        // Interrupted before it recorded the interface: its owner is the VM's next index, as long as this
        // task holds the VM (holding it again is idempotent; a VM another task holds is left alone).
        if (saga.Resource(ResourceKinds.Vm) is not null
            && await saga.Vm.BeginChange(saga.TaskId, VmTrigger.InterfacesChanged) is { IsSuccess: true } held)
        {
            await TenantNetworks.DetachRequested(saga, [PayloadOf(saga).Network], saga.VmId, VmInterface.NextIndex(held.Value.Spec.Interfaces));
        }

        await saga.LetGoOfVm();
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
    [
        new HostStep("main", HostRoles.Host,
            id => new AttachInterface(id, saga.VmId, Interface(saga)),
            Undo: id => new DetachInterface(id, saga.VmId, Interface(saga)),
            UndoAfterFailure: true),
    ];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        if (!vm.IsSuccess)
        {
            return Result.Fail(vm.Error);
        }

        var added = Interface(saga);
        var spec = vm.Value.Spec;
        var next = spec with { Interfaces = [.. (spec.Interfaces ?? []).Where(i => i.Owner != added.Owner), added] };
        var applied = await saga.Vm.Apply(VmTrigger.InterfacesChanged, new VmUpdate(saga.TaskId, Spec: next));
        return applied.IsSuccess ? Result.Ok : Result.Fail(applied.Error);
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Unreserve(saga);
        return true;
    }

    private static VmInterface Interface(SagaContext saga) =>
        TenantNetworks.Recorded(saga) is [var only] ? only : throw new InvalidOperationException("the attached interface was not recorded");
}
