using OrleansCloud.Hosts.Operations;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>vm.stop and vm.start: the same saga, no quota or capacity moved, one task on a VM at a time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PowerChangeTests(ClusterFixture fixture) : IDisposable
{
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();
    private readonly SimulatedDriver _driver = fixture.SiloServices.GetRequiredService<SimulatedDriver>();

    public void Dispose() => _faults.Clear();

    [Fact]
    public async Task Stop_ThenStart_ChangeThePowerStateOnTheHost_AndLeaveQuotaAndCapacityAlone()
    {
        var (tenantId, vm) = await RunningVm("power");
        var quotaBefore = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        var hostBefore = (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!;

        var stopped = await Run(Stop(tenantId, vm.VmId));

        Assert.Equal(TaskState.Succeeded, stopped.State);
        Assert.Equal(VmState.Stopped, (await Vm(vm.VmId, tenantId)).State);
        Assert.False(_driver.Domains(vm.Host!).Single(d => d.VmId == vm.VmId).Running);
        Assert.Equal([StepType.Validating, StepType.Executing, StepType.Finalizing], stopped.Steps.Select(s => s.Type));

        var started = await Run(Start(tenantId, vm.VmId));

        Assert.Equal(TaskState.Succeeded, started.State);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        Assert.True(_driver.Domains(vm.Host!).Single(d => d.VmId == vm.VmId).Running);
        Assert.Equal(quotaBefore, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!);
        Assert.Equal(hostBefore.Allocated, (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!.Allocated);
    }

    [Fact]
    public async Task StartingARunningVm_OrStoppingAStoppedOne_IsAnInvalidTransition_AndChangesNothing()
    {
        var (tenantId, vm) = await RunningVm("twice");
        var startId = NewId("tsk");

        var start = await _grains.GetGrain<ITaskGrain>(startId).Submit(Start(tenantId, vm.VmId));
        await Run(Stop(tenantId, vm.VmId));
        var stopAgain = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Stop(tenantId, vm.VmId));

        Assert.Equal(ErrorCodes.InvalidStateTransition, start.Error?.Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, stopAgain.Error?.Code);
        Assert.Equal(TaskState.Failed, (await _grains.GetGrain<ITaskGrain>(startId).Get(null)).Value!.State);
        Assert.Equal(VmState.Stopped, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(TaskState.Succeeded, (await Run(Start(tenantId, vm.VmId))).State);
    }

    [Fact]
    public async Task Stop_WhenEveryAttemptFails_RollsBack_AndTheVmStaysRunningAndFreeForTheNextTask()
    {
        var (tenantId, vm) = await RunningVm("stubborn");
        _faults.FailNext<StopVm>(vm.Host!, 3, retryable: true);

        var stop = await Run(Stop(tenantId, vm.VmId));

        Assert.Equal(TaskState.RolledBack, stop.State);
        Assert.Equal(ErrorCodes.HostOperationFailed, stop.Error?.Code);
        Assert.Equal(3, stop.Attempts);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(TaskState.Succeeded, (await Run(Delete(tenantId, vm.VmId))).State);
    }

    [Fact]
    public async Task AVmHeldByAPowerChange_RefusesADeleteAndAnotherChange_UntilThatTaskLetsGo()
    {
        var (tenantId, vm) = await RunningVm("busy");
        var holder = NewId("tsk");
        var grain = _grains.GetGrain<IVmGrain>(vm.VmId);
        Assert.True((await grain.BeginChange(holder, VmTrigger.Stopped)).IsSuccess);
        Assert.True((await grain.BeginChange(holder, VmTrigger.Stopped)).IsSuccess);

        var delete = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Delete(tenantId, vm.VmId));
        var other = await grain.BeginChange(NewId("tsk"), VmTrigger.Stopped);

        Assert.Equal(ErrorCodes.Conflict, delete.Error?.Code);
        Assert.Equal(ErrorCodes.Conflict, other.Error?.Code);
        Assert.Equal(VmState.Running, (await Vm(vm.VmId, tenantId)).State);
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used.Vms);

        await grain.AbandonChange(holder);

        Assert.Equal(TaskState.Succeeded, (await Run(Delete(tenantId, vm.VmId))).State);
    }

    private async Task<(string TenantId, VmView Vm)> RunningVm(string name)
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var created = await Run(Create(tenantId, Requests.Vm(name)));
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
