using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmCreate;

/// <summary>
/// vm.create: quota held, an address on each network the VM joins, and capacity claimed on an
/// elected host of the networks' area at submission; the VM record, then the domain on the host
/// (which realises the networks there); on success the hold is committed, the claim confirmed and
/// the VM running. A refusal or a rollback gives the addresses back.
/// </summary>
public sealed class VmCreateDefinition : TaskActionDefinition<VmCreatePayload>
{
    private const string Main = "main";
    private const string AreaKey = "area";

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

        var area = await AttachInterfaces(saga, spec);
        var claimed = area.IsSuccess
            ? await saga.ElectAndClaim(HostRoles.Host, AmountOf(spec), CapabilitiesOf(spec), area.Value, pool: spec.Pool)
            : Result.Fail(area.Error);
        if (!claimed.IsSuccess)
        {
            await Unreserve(saga);
        }

        return claimed;
    }

    /// <summary>
    /// An address on each requested network, in order; every network must be in one area, the one the
    /// request names if it names one. Answers the area the VM must land in (null: any).
    /// </summary>
    private static async Task<Result<string?>> AttachInterfaces(SagaContext saga, VmSpec spec)
    {
        var names = PayloadOf(saga).Networks ?? [];
        var area = spec.Area;
        var interfaces = new List<VmInterface>();
        for (var i = 0; i < names.Count; i++)
        {
            var network = await TenantNetworks.Find(saga, names[i], names.Count == 1 ? "data.network" : $"data.networks[{i}]");
            if (!network.IsSuccess)
            {
                return network.Error;
            }

            if (area is not null && network.Value.Spec.Area != area)
            {
                return Error.Validation(spec.Area is null ? "data.networks" : "data.area",
                    $"network '{names[i]}' is in area '{network.Value.Spec.Area}', not '{area}': a VM's networks and the VM share one area");
            }

            area = network.Value.Spec.Area;
            var attached = await TenantNetworks.Attach(saga, network.Value, saga.VmId, i);
            if (!attached.IsSuccess)
            {
                return attached.Error;
            }

            interfaces.Add(attached.Value);
            TenantNetworks.Record(saga, interfaces);
        }

        if (area is not null)
        {
            saga.SetData(AreaKey, area);
        }

        return area;
    }

    public override async Task Unreserve(SagaContext saga)
    {
        await saga.ReleaseQuota();
        await saga.ReleaseClaims();
        await TenantNetworks.Detach(saga, TenantNetworks.Recorded(saga));
        if (PayloadOf(saga).Networks is { Count: > 0 } networks)
        {
            // The VM's id follows from the task's: known even when the submission stopped before recording it.
            await TenantNetworks.DetachRequested(saga, networks, TaskGrain.VmIdFor(saga.TaskId), 0);
        }
    }

    public override async Task<Result> Prepare(SagaContext saga)
    {
        var provisioning = await saga.Vm.CreateProvisioning(saga.TenantId, SpecOf(saga), saga.TaskId, saga.Host(HostRoles.Host));
        return provisioning.IsSuccess ? Result.Ok : Result.Fail(provisioning.Error);
    }

    /// <summary>The VM as it is made: the request's spec with its interfaces, the area it landed in and the pool its host granted.</summary>
    public static VmSpec SpecOf(SagaContext saga)
    {
        var spec = PayloadOf(saga).Spec;
        var interfaces = TenantNetworks.Recorded(saga);
        var area = spec.Area ?? (saga.Data(AreaKey) is { Length: > 0 } networks ? networks : saga.AreaOf(HostRoles.Host));
        return VmCreateDisk.OnGrantedPool(spec with { Area = area, Interfaces = interfaces.Count > 0 ? interfaces : null }, saga);
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
    [
        new HostStep(Main, HostRoles.Host,
            id => new CreateVm(id, saga.VmId, SpecOf(saga)),
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
        await TenantNetworks.Detach(saga, TenantNetworks.Recorded(saga));
        foreach (var host in saga.ClaimedHosts)
        {
            await saga.HostGrain(host).ReleaseClaim(saga.TaskId);
            await saga.HostGrain(host).ReleaseAllocation(saga.VmId);
        }

        return true;
    }
}
