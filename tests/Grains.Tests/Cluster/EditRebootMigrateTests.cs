using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>vm.reboot, vm.edit and vm.migrate on the engine: success, refusals, and a clean rollback from a failure at every host step.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EditRebootMigrateTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly List<(string TenantId, string VmId)> _made = [];

    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();
    private readonly SimulatedDriver _driver = fixture.SiloServices.GetRequiredService<SimulatedDriver>();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The cluster is shared by every test class: give the hosts' capacity back.</summary>
    public async Task DisposeAsync()
    {
        _faults.Clear();
        foreach (var (tenantId, vmId) in _made)
        {
            var vm = await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId);
            if (vm.IsSuccess && vm.Value.State != VmState.Deleted)
            {
                var id = NewId("tsk");
                if ((await _grains.GetGrain<ITaskGrain>(id).Submit(Delete(tenantId, vmId))).IsSuccess)
                {
                    await Final(_grains, id);
                }
            }
        }
    }

    [Fact]
    public async Task Reboot_OfARunningVm_Succeeds_AndMovesNoQuotaOrCapacity()
    {
        var (tenantId, vm) = await RunningVm("reboot");
        var quota = await Quota(tenantId);

        var reboot = await Run(Reboot(tenantId, vm.VmId, force: true));

        Assert.Equal(TaskState.Succeeded, reboot.State);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(1, _driver.AppliedCount($"{reboot.TaskId}/main"));
        Assert.Equal(quota, await Quota(tenantId));
    }

    [Fact]
    public async Task Reboot_OfAStoppedVm_IsAnInvalidTransition()
    {
        var (tenantId, vm) = await RunningVm("reboot-off");
        await Run(Stop(tenantId, vm.VmId));

        var refused = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Reboot(tenantId, vm.VmId));

        Assert.Equal(ErrorCodes.InvalidStateTransition, refused.Error?.Code);
        Assert.Equal(VmState.Stopped, (await Vm(vm.VmId, tenantId)).State);
    }

    [Fact]
    public async Task Reboot_WhenEveryAttemptFails_RollsBack_AndTheVmKeepsRunning()
    {
        var (tenantId, vm) = await RunningVm("reboot-fail");
        _faults.FailNext<RebootVm>(vm.Host!, 3, retryable: true);

        var reboot = await Run(Reboot(tenantId, vm.VmId));

        Assert.Equal(TaskState.RolledBack, reboot.State);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(TaskState.Succeeded, (await Run(Stop(tenantId, vm.VmId))).State);
    }

    [Fact]
    public async Task Edit_OfAStoppedVm_ResizesItOnTheHost_AndMovesQuotaAndAllocation()
    {
        var (tenantId, vm) = await RunningVm("grow");
        await Run(Stop(tenantId, vm.VmId));

        var edit = await Run(Edit(tenantId, vm.VmId, cpu: 2, ramMb: 2048, diskGb: 20));

        Assert.Equal(TaskState.Succeeded, edit.State);
        var after = await Vm(vm.VmId, tenantId);
        Assert.Equal((2, 2048L, 20L), (after.Spec.Cpu, after.Spec.RamMb, after.Spec.DiskGb));
        Assert.Equal(VmState.Stopped, after.State);
        var domain = _driver.Domains(vm.Host!).Single(d => d.VmId == vm.VmId);
        Assert.Equal((2, 2048L, 20L), (domain.Spec.Cpu, domain.Spec.RamMb, domain.Spec.DiskGb));
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(new ResourceAmount(2, 2048, 20, 1), quota.Used);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
        var host = (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!;
        Assert.Equal(ResourceAmount.Zero, host.Claimed);

        // A shrink of cpu and memory gives quota back; the disk stays.
        Assert.Equal(TaskState.Succeeded, (await Run(Edit(tenantId, vm.VmId, cpu: 1, ramMb: 512))).State);
        Assert.Equal(new ResourceAmount(1, 512, 20, 1), (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
    }

    [Fact]
    public async Task Edit_IsRefused_WhenRunning_OverQuota_OverTheHost_OrShrinkingTheDisk_AndChangesNothing()
    {
        var (tenantId, vm) = await RunningVm("refuse", quota: new ResourceAmount(4, 8192, 100, 10));
        var running = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Edit(tenantId, vm.VmId, cpu: 2));
        await Run(Stop(tenantId, vm.VmId));
        var quota = await Quota(tenantId);
        var hostBefore = (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!;

        var overQuota = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Edit(tenantId, vm.VmId, cpu: 5));
        var shrink = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Edit(tenantId, vm.VmId, diskGb: 5));

        Assert.Equal(ErrorCodes.InvalidStateTransition, running.Error?.Code);
        Assert.Equal(ErrorCodes.QuotaExceeded, overQuota.Error?.Code);
        Assert.Equal(ErrorCodes.Validation, shrink.Error?.Code);
        Assert.Equal(quota, await Quota(tenantId));
        Assert.Equal(hostBefore.Claimed, (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!.Claimed);
        Assert.Equal(1, (await Vm(vm.VmId, tenantId)).Spec.Cpu);

        // Nothing stays held: the next change goes through.
        Assert.Equal(TaskState.Succeeded, (await Run(Edit(tenantId, vm.VmId, cpu: 4))).State);
    }

    [Fact]
    public async Task Edit_BeyondWhatItsHostHasFree_IsNoCapacity()
    {
        var (tenantId, vm) = await RunningVm("big", quota: new ResourceAmount(64, 1024 * 1024, 5000, 10));
        await Run(Stop(tenantId, vm.VmId));

        var refused = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Edit(tenantId, vm.VmId, cpu: 32));

        Assert.Equal(ErrorCodes.NoCapacity, refused.Error?.Code);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Held);
    }

    [Fact]
    public async Task Edit_WhenTheHostFails_RollsBack_WithQuotaAndClaimsSettled()
    {
        var (tenantId, vm) = await RunningVm("edit-fail");
        await Run(Stop(tenantId, vm.VmId));
        var quota = await Quota(tenantId);
        _faults.FailNext<ResizeVm>(vm.Host!, 1, retryable: false);

        var edit = await Run(Edit(tenantId, vm.VmId, cpu: 3));

        Assert.Equal(TaskState.RolledBack, edit.State);
        Assert.Equal(quota, await Quota(tenantId));
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!.Claimed);
        Assert.Equal(1, (await Vm(vm.VmId, tenantId)).Spec.Cpu);
        Assert.Equal(1, _driver.Domains(vm.Host!).Single(d => d.VmId == vm.VmId).Spec.Cpu);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Migrate_MovesTheVmToAnotherHost_InItsState_AndMovesTheAllocation(bool running)
    {
        var (tenantId, vm) = await RunningVm(running ? "move-on" : "move-off");
        if (!running)
        {
            await Run(Stop(tenantId, vm.VmId));
        }

        var quota = await Quota(tenantId);
        var migrate = await Run(Migrate(tenantId, vm.VmId));

        Assert.Equal(TaskState.Succeeded, migrate.State);
        var after = await Vm(vm.VmId, tenantId);
        Assert.NotEqual(vm.Host, after.Host);
        Assert.Equal(running ? VmState.Running : VmState.Stopped, after.State);
        Assert.Equal(after.Host, migrate.Result!.Host);
        await AssertOnExactlyOneHost(vm.VmId, after.Host!, running);
        Assert.Equal(quota, await Quota(tenantId));
        var source = (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!;
        var target = (await _grains.GetGrain<IHostGrain>(after.Host!).Get()).Value!;
        Assert.Equal(ResourceAmount.Zero, target.Claimed);
        Assert.Equal(ResourceAmount.Zero, source.Claimed);

        // It is an ordinary VM there: it can be deleted, and the target's capacity comes back.
        Assert.Equal(TaskState.Succeeded, (await Run(Delete(tenantId, vm.VmId))).State);
        Assert.DoesNotContain(_driver.Domains(after.Host!), d => d.VmId == vm.VmId);
    }

    [Fact]
    public async Task Migrate_ToANamedHost_GoesThere_AndToItsOwnHostIsRefused()
    {
        var (tenantId, vm) = await RunningVm("named");
        var other = await OtherHost(vm.Host!);

        var self = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Migrate(tenantId, vm.VmId, vm.Host));
        var unknown = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Migrate(tenantId, vm.VmId, "no-such-host"));
        var moved = await Run(Migrate(tenantId, vm.VmId, other));

        Assert.Equal(ErrorCodes.Validation, self.Error?.Code);
        Assert.Equal(ErrorCodes.Validation, unknown.Error?.Code);
        Assert.Equal(TaskState.Succeeded, moved.State);
        Assert.Equal(other, (await Vm(vm.VmId, tenantId)).Host);
    }

    public static TheoryData<string> MigrationSteps => new() { "stop", "receive", "start", "release" };

    [Theory]
    [MemberData(nameof(MigrationSteps))]
    public async Task Migrate_WhenAStepFailsForGood_RollsBack_AndTheVmRunsWhereItWas(string failing)
    {
        var (tenantId, vm) = await RunningVm($"fail-{failing}");
        var source = vm.Host!;
        var target = await OtherHost(source);
        var quota = await Quota(tenantId);
        switch (failing)
        {
            case "stop": _faults.FailNext<StopVm>(source, 1, retryable: false); break;
            case "receive": _faults.FailNext<ReceiveVm>(target, 1, retryable: false); break;
            case "start": _faults.FailNext<StartVm>(target, 1, retryable: false); break;
            default: _faults.FailNext<ReleaseVm>(source, 1, retryable: false); break;
        }

        var migrate = await Run(Migrate(tenantId, vm.VmId, target));

        Assert.Equal(TaskState.RolledBack, migrate.State);
        var after = await Vm(vm.VmId, tenantId);
        Assert.Equal(source, after.Host);
        Assert.Equal(VmState.Running, after.State);
        await AssertOnExactlyOneHost(vm.VmId, source, running: true);
        Assert.Equal(quota, await Quota(tenantId));
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<IHostGrain>(target).Get()).Value!.Claimed);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<IHostGrain>(source).Get()).Value!.Claimed);

        // Nothing stays held: the VM migrates once the host behaves.
        Assert.Equal(TaskState.Succeeded, (await Run(Migrate(tenantId, vm.VmId, target))).State);
        await AssertOnExactlyOneHost(vm.VmId, target, running: true);
    }

    [Fact]
    public async Task AVmBeingMigrated_RefusesADeleteAndAnotherChange()
    {
        var (tenantId, vm) = await RunningVm("busy-move");
        var target = await OtherHost(vm.Host!);
        _faults.FailNext<ReceiveVm>(target, 2, retryable: true);
        var migrateId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(migrateId).Submit(Migrate(tenantId, vm.VmId, target));
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);

        var delete = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Delete(tenantId, vm.VmId));
        var reboot = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Reboot(tenantId, vm.VmId));

        Assert.Equal(ErrorCodes.Conflict, delete.Error?.Code);
        Assert.Equal(ErrorCodes.Conflict, reboot.Error?.Code);
        Assert.Equal(TaskState.Succeeded, (await Final(_grains, migrateId)).State);
    }

    private async Task AssertOnExactlyOneHost(string vmId, string host, bool running)
    {
        var hosts = (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Select(h => h.HostName);
        var holders = hosts.Where(h => _driver.Domains(h).Any(d => d.VmId == vmId)).ToList();
        Assert.Equal([host], holders);
        Assert.Equal(running, _driver.Domains(host).Single(d => d.VmId == vmId).Running);
    }

    private async Task<string> OtherHost(string host) =>
        (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
            .Where(h => h.State == HostState.Up && h.HostName != host).OrderByDescending(h => h.Free.Vcpus).ThenBy(h => h.HostName, StringComparer.Ordinal).First().HostName;

    private async Task<(string TenantId, VmView Vm)> RunningVm(string name, ResourceAmount? quota = null)
    {
        var tenantId = await NewTenant(_grains, quota ?? new ResourceAmount(16, 32768, 400, 10));
        var created = await Run(Create(tenantId, Requests.Vm(name)));
        Assert.Equal(TaskState.Succeeded, created.State);
        _made.Add((tenantId, created.Result!.VmId!));
        return (tenantId, await Vm(created.Result!.VmId!, tenantId));
    }

    private async Task<QuotaView> Quota(string tenantId) => (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;

    private async Task<VmView> Vm(string vmId, string tenantId) => (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!;

    private async Task<TaskView> Run(TaskRequest request)
    {
        var taskId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        return await Final(_grains, taskId);
    }
}
