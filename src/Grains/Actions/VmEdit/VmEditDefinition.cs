using System.Globalization;
using OrleansCloud.Actions.VmEdit;
using OrleansCloud.Grains.Actions.VmCreate;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmEdit;

/// <summary>
/// vm.edit: a stopped VM gets a new cpu, memory and disk size (the disk only grows). Resizing needs
/// the VM stopped (<see cref="ErrorCodes.InvalidStateTransition"/> otherwise): a cold resize works
/// the same on every hypervisor and never leaves a guest with hot-plugged memory it cannot use. The
/// growth is held on the tenant's quota and claimed on the VM's host at submission; a shrink gives
/// both back when the task succeeds.
/// </summary>
public sealed class VmEditDefinition : TaskActionDefinition<VmEditPayload>
{
    private const string NewCpu = "new.cpu";
    private const string NewRam = "new.ramMb";
    private const string NewDisk = "new.diskGb";
    private const string OldCpu = "old.cpu";
    private const string OldRam = "old.ramMb";
    private const string OldDisk = "old.diskGb";

    public override string Name => VmEditPayload.Action;

    public override string? TargetKind => ResourceKinds.Vm;

    protected override Error? Validate(VmEditPayload payload)
    {
        if (payload.Cpu is null && payload.RamMb is null && payload.DiskGb is null)
        {
            return Error.Validation("data", "vm.edit needs at least one of cpu, ram, disk");
        }

        var probe = new VmSpec("probe", payload.Cpu ?? VmLimits.MinCpu, payload.RamMb ?? VmLimits.MinRamMb, payload.DiskGb ?? VmLimits.MinDiskGb, "probe", 2, "{}", null);
        var errors = VmLimits.Check(probe);
        return errors.Count > 0 ? Error.Validation(errors) : null;
    }

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var payload = PayloadOf(saga);
        var found = await saga.TargetVm();
        if (!found.IsSuccess)
        {
            return Result.Fail(found.Error);
        }

        var vm = found.Value;
        var old = vm.Spec;
        var next = old with { Cpu = payload.Cpu ?? old.Cpu, RamMb = payload.RamMb ?? old.RamMb, DiskGb = payload.DiskGb ?? old.DiskGb };
        if (next.DiskGb < old.DiskGb)
        {
            return Result.Fail(Error.Validation("data.disk", $"a disk only grows: it is {old.DiskGb} GB"));
        }

        if (vm.Host is not { } host)
        {
            return Result.Fail(ErrorCodes.InvalidStateTransition, $"VM '{vm.VmId}' is on no host.");
        }

        saga.SetHost(HostRoles.Host, host);
        Record(saga, old, next);
        var begun = await saga.Vm.BeginChange(saga.TaskId, VmTrigger.Resized);
        if (!begun.IsSuccess)
        {
            return Result.Fail(begun.Error);
        }

        var growth = (VmCreateDefinition.AmountOf(next) - VmCreateDefinition.AmountOf(old)).PositivePart();
        if (!growth.IsZero)
        {
            var held = await saga.HoldQuota(growth, ResourceKinds.Vm, name: null);
            var claimed = held.IsSuccess ? await saga.Claim(HostRoles.Host, host, growth, [Capabilities.Vm], old.Pool) : held;
            if (!claimed.IsSuccess)
            {
                await Unreserve(saga);
                return held.IsSuccess ? Result.Fail(ErrorCodes.NoCapacity, $"Host {host} has no room for the new size: {claimed.Error!.Message}") : held;
            }
        }

        return Result.Ok;
    }

    public override async Task Unreserve(SagaContext saga)
    {
        await saga.ReleaseQuota();
        await saga.ReleaseClaims();
        await saga.LetGoOfVm();
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) =>
    [
        new HostStep("main", HostRoles.Host,
            id => new ResizeVm(id, saga.VmId, Int(saga, NewCpu), Long(saga, NewRam), Long(saga, NewDisk)),
            // A disk that grew stays grown: undo restores cpu and memory only.
            Undo: id => new ResizeVm(id, saga.VmId, Int(saga, OldCpu), Long(saga, OldRam), Long(saga, NewDisk)),
            UndoAfterFailure: true),
    ];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var vm = await saga.Vm.Get(null);
        if (!vm.IsSuccess)
        {
            return Result.Fail(vm.Error);
        }

        var next = vm.Value.Spec with { Cpu = Int(saga, NewCpu), RamMb = Long(saga, NewRam), DiskGb = Long(saga, NewDisk) };
        var committed = await saga.Tenant.CommitChange(saga.TaskId, saga.VmId, VmCreateDefinition.AmountOf(next));
        if (!committed.IsSuccess)
        {
            return committed;
        }

        await saga.HostGrain(saga.Host(HostRoles.Host)!).Reallocate(saga.TaskId, saga.VmId, VmCreateDefinition.AmountOf(next));
        var applied = await saga.Vm.Apply(VmTrigger.Resized, new VmUpdate(saga.TaskId, Spec: next));
        return applied.IsSuccess ? Result.Ok : Result.Fail(applied.Error);
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Unreserve(saga);
        return true;
    }

    private static void Record(SagaContext saga, VmSpec old, VmSpec next)
    {
        saga.SetData(OldCpu, SagaContext.Count(old.Cpu));
        saga.SetData(OldRam, SagaContext.Count(old.RamMb));
        saga.SetData(OldDisk, SagaContext.Count(old.DiskGb));
        saga.SetData(NewCpu, SagaContext.Count(next.Cpu));
        saga.SetData(NewRam, SagaContext.Count(next.RamMb));
        saga.SetData(NewDisk, SagaContext.Count(next.DiskGb));
    }

    private static int Int(SagaContext saga, string key) => int.Parse(saga.Data(key)!, CultureInfo.InvariantCulture);

    private static long Long(SagaContext saga, string key) => long.Parse(saga.Data(key)!, CultureInfo.InvariantCulture);
}
