using OrleansCloud.Actions.VmMigrate;
using OrleansCloud.Grains.Actions.VmCreate;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmMigrate;

/// <summary>
/// vm.migrate (cold) to another host of the VM's area, named or elected with the source excluded.
/// Capacity is claimed on the target at submission, before anything is released on the source. On
/// the hosts: stop on the source (if it runs), receive on the target, start there (if it ran), and
/// only then release it on the source, so until the last step every step can be undone and a
/// failure leaves the VM where it was, running if it was running. Success moves the allocation.
/// </summary>
public sealed class VmMigrateDefinition : TaskActionDefinition<VmMigratePayload>
{
    private const string WasRunning = "wasRunning";
    private const string Receive = "receive";
    private const string Spec = "spec";

    public override string Name => VmMigratePayload.Action;

    public override string? TargetKind => ResourceKinds.Vm;

    protected override Error? Validate(VmMigratePayload payload) =>
        payload.Host is { } host && (host.Length is 0 or > 253 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
            ? Error.Validation("data.host", "must be a host name")
            : null;

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var found = await saga.TargetVm();
        if (!found.IsSuccess)
        {
            return Result.Fail(found.Error);
        }

        var vm = found.Value;
        if (vm.Host is not { } source)
        {
            return Result.Fail(ErrorCodes.InvalidStateTransition, $"VM '{vm.VmId}' is on no host.");
        }

        saga.SetHost(HostRoles.Source, source);
        saga.SetFlag(WasRunning, vm.State == VmState.Running);
        saga.SetJson(Spec, vm.Spec);
        var begun = await saga.Vm.BeginChange(saga.TaskId, VmTrigger.Migrated);
        if (!begun.IsSuccess)
        {
            return Result.Fail(begun.Error);
        }

        var claimed = await ClaimTarget(saga, vm, source);
        if (!claimed.IsSuccess)
        {
            await Unreserve(saga);
        }

        return claimed;
    }

    private static async Task<Result> ClaimTarget(SagaContext saga, VmView vm, string source)
    {
        var sourceHost = await saga.HostGrain(source).Get();
        var area = sourceHost.IsSuccess ? sourceHost.Value.Area : vm.Spec.Area;
        var amount = VmCreateDefinition.AmountOf(vm.Spec);
        var capabilities = VmCreateDefinition.CapabilitiesOf(vm.Spec);
        if (PayloadOf(saga).Host is not { } named)
        {
            return await saga.ElectAndClaim(HostRoles.Target, amount, capabilities, area, [source], vm.Spec.Pool);
        }

        if (named == source)
        {
            return Result.Fail(Error.Validation("data.host", $"the VM is on {source} already"));
        }

        var target = await saga.HostGrain(named).Get();
        if (!target.IsSuccess)
        {
            return Result.Fail(Error.Validation("data.host", $"there is no host '{named}'"));
        }

        if (area is not null && target.Value.Area != area)
        {
            return Result.Fail(Error.Validation("data.host", $"host '{named}' is in area '{target.Value.Area}', not the VM's area '{area}'"));
        }

        return await saga.Claim(HostRoles.Target, named, amount, capabilities, vm.Spec.Pool);
    }

    public override async Task Unreserve(SagaContext saga)
    {
        await saga.ReleaseClaims();
        await saga.LetGoOfVm();
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga)
    {
        var steps = new List<HostStep>();
        var wasRunning = saga.Flag(WasRunning);
        if (wasRunning)
        {
            steps.Add(new HostStep("stop", HostRoles.Source, id => new StopVm(id, saga.VmId), Undo: id => new StartVm(id, saga.VmId)));
        }

        // Disks the target copied are its own to remove on undo; shared ones (or unknown) are never removed there.
        steps.Add(new HostStep(Receive, HostRoles.Target,
            id => new ReceiveVm(id, saga.VmId, VmSpecOf(saga), saga.Host(HostRoles.Source)!),
            Undo: id => new ReleaseVm(id, saga.VmId, KeepDisks: saga.FactOf(Receive, "disk") != "copied"),
            UndoAfterFailure: true));
        if (wasRunning)
        {
            steps.Add(new HostStep("start", HostRoles.Target, id => new StartVm(id, saga.VmId), Undo: id => new StopVm(id, saga.VmId, Force: true)));
        }

        steps.Add(new HostStep("release", HostRoles.Source,
            id => new ReleaseVm(id, saga.VmId, KeepDisks: saga.FactOf(Receive, "disk") == "shared")));
        return steps;
    }

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var target = saga.Host(HostRoles.Target)!;
        await saga.HostGrain(target).ConfirmClaim(saga.TaskId, saga.VmId);
        await saga.HostGrain(saga.Host(HostRoles.Source)!).ReleaseAllocation(saga.VmId);
        var applied = await saga.Vm.Apply(VmTrigger.Migrated, new VmUpdate(saga.TaskId, target, saga.AddressesOf("start") is { Count: > 0 } addresses ? addresses : null));
        return applied.IsSuccess ? Result.Ok : Result.Fail(applied.Error);
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Unreserve(saga);
        return true;
    }

    /// <summary>The spec the VM had when the migration was accepted (the VM is held, so it cannot change meanwhile).</summary>
    private static VmSpec VmSpecOf(SagaContext saga) => saga.Json<VmSpec>(Spec) ?? throw new InvalidOperationException("the VM's spec was not recorded");
}
