using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.HostAgent.Reconciliation;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Jobs;
using OrleansCloud.Reconciliation;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// Reconciliation against the simulated hypervisor, changed behind the platform's back through the
/// driver itself (as an operator's virsh would): a lost VM, a VM stopped outside, a domain nobody owns.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReconciliationTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedDriver _driver = fixture.SiloServices.GetRequiredService<SimulatedDriver>();

    [Fact]
    public async Task AVmDestroyedBehindTheBack_IsMarkedFailed_AndItsUsageAndAllocationReleased_AfterTwoReports()
    {
        var (tenantId, vm) = await RunningVm("lost", cpu: 2);
        var host = vm.Host!;
        var allocatedBefore = (await Host(host)).Allocated;
        await _driver.ExecuteAsync(host, new DeleteVm("outside/" + Guid.NewGuid().ToString("N"), vm.VmId), CancellationToken.None);

        var first = await Reconcile(host);
        Assert.DoesNotContain(vm.VmId, first.Lost);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);

        var second = await Reconcile(host);

        Assert.Contains(vm.VmId, second.Lost);
        Assert.Equal(VmState.Failed, (await Vm(vm.VmId, tenantId)).State);
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(ResourceAmount.Zero, quota.Used);
        Assert.Equal(allocatedBefore - new ResourceAmount(2, 1024, 10, 1), (await Host(host)).Allocated);
        Assert.DoesNotContain(vm.VmId, await _grains.GetGrain<IHostGrain>(host).Allocated());
        Assert.Contains(vm.VmId, await _grains.GetGrain<ITenantGrain>(tenantId).ListResources("vm")); // still listed, failed
        await AssertCorrectionJob(tenantId, "gone from host");

        // Nothing more to correct, and the failed VM can still be deleted.
        Assert.Empty((await Reconcile(host)).Lost);
        var delete = await Run(Delete(tenantId, vm.VmId));
        Assert.Equal(TaskState.Succeeded, delete.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
        Assert.DoesNotContain(vm.VmId, await _grains.GetGrain<ITenantGrain>(tenantId).ListResources("vm"));
    }

    [Fact]
    public async Task AVmStoppedBehindTheBack_IsRecordedStopped_AndStartedAgain_WhenItRunsAgain()
    {
        var (tenantId, vm) = await RunningVm("drift");
        var host = vm.Host!;
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;

        await _driver.ExecuteAsync(host, new StopVm("outside/" + Guid.NewGuid().ToString("N"), vm.VmId, Force: true), CancellationToken.None);
        var stopped = await Reconcile(host);

        Assert.Contains(vm.VmId, stopped.Drifted);
        Assert.Equal(VmState.Stopped, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(quota, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!);
        await AssertCorrectionJob(tenantId, "stopped on host");

        await _driver.ExecuteAsync(host, new StartVm("outside/" + Guid.NewGuid().ToString("N"), vm.VmId), CancellationToken.None);
        var started = await Reconcile(host);

        Assert.Contains(vm.VmId, started.Drifted);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        await Run(Delete(tenantId, vm.VmId));
    }

    [Fact]
    public async Task ADomainNobodyOwns_IsRemovedOnlyAfterItsGracePeriod_AndOthersAreNeverTouched()
    {
        // One of the agent's simulated hosts (other tests register hosts no agent drives).
        var host = (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).First(h => h.HostName.StartsWith("sim-", StringComparison.Ordinal)).HostName;
        var orphan = "vm-" + Guid.NewGuid().ToString("N");
        var foreign = "web01.example.com";
        foreach (var name in new[] { orphan, foreign })
        {
            await _driver.ExecuteAsync(host, new CreateVm("outside/" + Guid.NewGuid().ToString("N"), name, Requests.Vm(name)), CancellationToken.None);
        }

        var first = await Reconcile(host);
        Assert.Contains(orphan, first.OrphansWaiting);
        Assert.Contains(_driver.Domains(host), d => d.VmId == orphan);

        fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        var later = await Reconcile(host);

        Assert.Contains(orphan, later.OrphansRemoved);
        Assert.DoesNotContain(_driver.Domains(host), d => d.VmId == orphan);
        Assert.Contains(_driver.Domains(host), d => d.VmId == foreign);
        Assert.DoesNotContain(foreign, later.OrphansWaiting);
        await _driver.ExecuteAsync(host, new DeleteVm("outside/" + Guid.NewGuid().ToString("N"), foreign), CancellationToken.None);
    }

    [Fact]
    public async Task AVmATaskHolds_IsNeitherLostNorDrifted()
    {
        var (tenantId, vm) = await RunningVm("busy");
        var host = vm.Host!;
        Assert.True((await _grains.GetGrain<IVmGrain>(vm.VmId).BeginChange("tsk-holding", VmTrigger.Stopped)).IsSuccess);
        await _driver.ExecuteAsync(host, new StopVm("outside/" + Guid.NewGuid().ToString("N"), vm.VmId, Force: true), CancellationToken.None);

        var report = await Reconcile(host);

        Assert.DoesNotContain(vm.VmId, report.Drifted);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        await _grains.GetGrain<IVmGrain>(vm.VmId).AbandonChange("tsk-holding");
        await Reconcile(host);
        await Run(Delete(tenantId, vm.VmId));
    }

    [Theory]
    [InlineData("running", true)]
    [InlineData("paused", true)]
    [InlineData("shut off", false)]
    [InlineData("Off", false)]
    [InlineData("Running", true)]
    public void PowerStates_AreReadFromEveryDriversSpelling(string state, bool running) =>
        Assert.Equal(running, ReconciliationService.IsRunning(state));

    private async Task<ReconciliationReport> Reconcile(string host)
    {
        var vms = await _driver.ListVmsAsync(host, CancellationToken.None);
        return await _grains.GetGrain<IHostReconcilerGrain>(host).Report([.. vms.Select(v => new ObservedVm(v.Name, ReconciliationService.IsRunning(v.State)))]);
    }

    private async Task AssertCorrectionJob(string tenantId, string words)
    {
        var jobs = await _grains.GetGrain<ITenantIndexGrain>(tenantId).ListJobs(null, 100);
        var views = await Task.WhenAll(jobs.Items.Where(id => id.StartsWith("job-rec-", StringComparison.Ordinal))
            .Select(async id => (await _grains.GetGrain<IJobGrain>(id).Get(tenantId)).Value!));
        Assert.Contains(views, j => j.Description.Contains(words, StringComparison.Ordinal) && j.Status == JobStatus.Finished);
    }

    private async Task<HostSnapshot> Host(string host) => (await _grains.GetGrain<IHostGrain>(host).Get()).Value!;

    private async Task<(string TenantId, VmView Vm)> RunningVm(string name, int cpu = 1)
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(16, 32768, 400, 10));
        var created = await Run(Create(tenantId, Requests.Vm(name, cpu)));
        Assert.Equal(TaskState.Succeeded, created.State);
        return (tenantId, await Vm(created.Result!.VmId!, tenantId));
    }

    private async Task<VmView> Vm(string vmId, string tenantId) => (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!;

    private async Task<TaskView> Run(TaskRequest request)
    {
        var taskId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        return await Final(_grains, taskId);
    }
}
