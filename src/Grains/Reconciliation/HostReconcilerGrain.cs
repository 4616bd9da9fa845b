using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Jobs;
using OrleansCloud.Reconciliation;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Reconciliation;

/// <summary>
/// One host's reconciler. It keeps only counters in memory (a restart starts each grace period
/// again, which errs on the side of waiting) and changes records through the grains that own them:
/// the VM's lifecycle (a loss, a power change behind the platform's back), the tenant's usage and
/// the host's allocation. It never touches a VM a task holds, and never a domain that is not the
/// platform's own (named like a VM id).
/// </summary>
public sealed partial class HostReconcilerGrain(
    IOptions<ReconciliationOptions> options,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time,
    ILogger<HostReconcilerGrain> logger) : Grain, IHostReconcilerGrain
{
    private readonly Dictionary<string, DateTimeOffset> _orphanSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _missed = new(StringComparer.Ordinal);

    private string Host => this.GetPrimaryKeyString();

    public async Task<ReconciliationReport> Report(IReadOnlyList<ObservedVm> inventory)
    {
        var now = time.GetUtcNow();
        var observed = inventory.Where(v => IsPlatformVm(v.VmId)).GroupBy(v => v.VmId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var allocated = (await GrainFactory.Ref<IHostGrain>(Host).Allocated()).ToHashSet(StringComparer.Ordinal);
        List<string> lost = [], drifted = [], removed = [], waiting = [];

        foreach (var vmId in allocated)
        {
            var found = await Vm(vmId).Get(null);
            if (!found.IsSuccess || found.Value.Host != Host)
            {
                continue;
            }

            var vm = found.Value;
            if (observed.TryGetValue(vmId, out var seen))
            {
                _missed.Remove(vmId);
                if (await RecordPowerChange(vm, seen, now))
                {
                    drifted.Add(vmId);
                }

                continue;
            }

            if (vm.State is not (VmState.Running or VmState.Stopped or VmState.Failed))
            {
                continue; // A task is creating, deleting or changing it: its saga settles it.
            }

            var missed = _missed[vmId] = _missed.GetValueOrDefault(vmId) + 1;
            if (missed >= options.Value.LostAfterReports && await SettleLoss(vm, now))
            {
                _missed.Remove(vmId);
                lost.Add(vmId);
            }
        }

        foreach (var vmId in _missed.Keys.Where(id => !allocated.Contains(id)).ToList())
        {
            _missed.Remove(vmId);
        }

        foreach (var vmId in observed.Keys.Where(id => !allocated.Contains(id)))
        {
            var owner = await Vm(vmId).Get(null);
            if (owner.IsSuccess && owner.Value.State != VmState.Deleted)
            {
                _orphanSince.Remove(vmId); // Its record lives (a task in flight, a migration, a failed create): not an orphan.
                continue;
            }

            var since = _orphanSince.TryGetValue(vmId, out var first) ? first : _orphanSince[vmId] = now;
            if (now - since < options.Value.OrphanGrace)
            {
                waiting.Add(vmId);
                continue;
            }

            if (await RemoveOrphan(vmId, since, owner.IsSuccess ? owner.Value.TenantId : null))
            {
                _orphanSince.Remove(vmId);
                removed.Add(vmId);
            }
            else
            {
                waiting.Add(vmId);
            }
        }

        foreach (var vmId in _orphanSince.Keys.Where(id => !observed.ContainsKey(id)).ToList())
        {
            _orphanSince.Remove(vmId);
        }

        return new ReconciliationReport(lost, drifted, removed, waiting);
    }

    /// <summary>The platform's own domains are named by their VM id; anything else on the hypervisor is not ours to touch.</summary>
    public static bool IsPlatformVm(string name) => PlatformVmName().IsMatch(name);

    private async Task<bool> RecordPowerChange(VmView vm, ObservedVm seen, DateTimeOffset now)
    {
        VmTrigger? trigger = (vm.State, seen.Running) switch
        {
            (VmState.Running, false) => VmTrigger.Stopped,
            (VmState.Stopped, true) => VmTrigger.Started,
            _ => null,
        };
        if (trigger is not { } observedChange)
        {
            return false;
        }

        // Apply refuses while a task holds the VM: its own change is then under way, not drift.
        var correction = CorrectionId(vm.VmId, observedChange.ToString(), now);
        if (!(await Vm(vm.VmId).Apply(observedChange, new VmUpdate(correction))).IsSuccess)
        {
            return false;
        }

        var what = observedChange == VmTrigger.Stopped ? "stopped" : "started";
        LogCorrection(logger, Host, vm.VmId, $"{what} outside the platform; recorded");
        await RecordJob(vm.TenantId, correction, $"Reconciliation: VM {vm.VmId} was {what} on host {Host} outside the platform",
            $"recorded the VM as {(observedChange == VmTrigger.Stopped ? "stopped" : "running")} (desired state unchanged)");
        return true;
    }

    /// <summary>
    /// A VM its host no longer has: it fails (unless a task holds it), then its usage drops to zero and
    /// its allocation is released; it stays listed as failed. A failed VM (a delete that failed for good)
    /// is only released. Both are idempotent, so a pass cut short is finished by the next one.
    /// </summary>
    private async Task<bool> SettleLoss(VmView vm, DateTimeOffset now)
    {
        var correction = CorrectionId(vm.VmId, "lost", now);
        if (vm.State != VmState.Failed && !(await Vm(vm.VmId).Apply(VmTrigger.Lost, new VmUpdate(correction))).IsSuccess)
        {
            return false;
        }

        // Its usage drops to nothing but the VM stays on the tenant's list, failed, for its owner to see
        // and delete (the delete then lets go of the record and the name).
        await GrainFactory.Ref<ITenantGrain>(vm.TenantId).CommitChange(correction, vm.VmId, ResourceAmount.Zero);
        await GrainFactory.Ref<IHostGrain>(Host).ReleaseAllocation(vm.VmId);
        LogCorrection(logger, Host, vm.VmId, "gone from its host; marked failed, usage and allocation released");
        await RecordJob(vm.TenantId, correction, $"Reconciliation: VM {vm.VmId} is gone from host {Host}",
            "marked the VM failed and released its quota usage and host allocation");
        return true;
    }

    private async Task<bool> RemoveOrphan(string vmId, DateTimeOffset since, string? tenantId)
    {
        var operationId = $"reconcile/{Host}/{vmId}/{since.UtcTicks}";
        var result = await GrainFactory.Ref<IHostAgentGrain>(Host).Execute(new DeleteVm(operationId, vmId));
        if (!result.Succeeded)
        {
            LogCorrection(logger, Host, vmId, $"owned by nobody; removal failed ({result.Message}), retried next pass");
            return false;
        }

        LogCorrection(logger, Host, vmId, "owned by nobody past its grace period; removed from the hypervisor");
        if (tenantId is not null)
        {
            await RecordJob(tenantId, operationId, $"Reconciliation: a domain of deleted VM {vmId} was still on host {Host}",
                "removed the domain and its disks from the hypervisor");
        }

        return true;
    }

    /// <summary>Each correction is a finished job of the VM's tenant with one step: visible in its job list and its event stream.</summary>
    private async Task RecordJob(string tenantId, string correctionId, string description, string step)
    {
        var job = GrainFactory.Ref<IJobGrain>("job-rec-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(correctionId)))[..24]);
        var started = await job.Start(new JobStart(tenantId, description, "vm.reconcile", "reconciler", AutoCleared: false));
        if (!started.IsSuccess)
        {
            return; // Already recorded by a pass that got this far.
        }

        var added = await job.AddStep(null, new JobStepStart(StepType.Executing, step, ParentStepId: null));
        if (added.IsSuccess)
        {
            await job.EndStep(null, added.Value.StepId, succeeded: true);
        }

        await job.End(null, JobStatus.Finished, force: true);
    }

    private string CorrectionId(string vmId, string what, DateTimeOffset now) => $"reconcile/{Host}/{vmId}/{what}/{now.UtcTicks}";

    private IVmGrain Vm(string vmId) => GrainFactory.Ref<IVmGrain>(vmId);

    [GeneratedRegex("^vm-[0-9a-f]{8,64}$")]
    private static partial Regex PlatformVmName();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation on host {Host}: VM {VmId} {What}")]
    private static partial void LogCorrection(ILogger logger, string host, string vmId, string what);
}
