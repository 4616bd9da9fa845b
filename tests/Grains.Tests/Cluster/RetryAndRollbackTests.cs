using OrleansCloud.Hosts.Operations;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>Host failures injected into the simulated driver: retried, then rolled back, and always settled.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RetryAndRollbackTests(ClusterFixture fixture) : IDisposable
{
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();
    private readonly SimulatedDriver _driver = fixture.SiloServices.GetRequiredService<SimulatedDriver>();

    public void Dispose() => _faults.Clear();

    private async Task FailEveryHost<TOperation>(int count, bool retryable)
        where TOperation : HostOperation
    {
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            _faults.FailNext<TOperation>(host.HostName, count, retryable);
        }
    }

    [Fact]
    public async Task Create_AfterTwoRetryableFailures_SucceedsOnTheThirdAttempt_AndAppliesOnce()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        await FailEveryHost<CreateVm>(2, retryable: true);
        var taskId = NewId("tsk");

        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("retry")))).IsSuccess);
        var final = await Final(_grains, taskId);

        Assert.Equal(TaskState.Succeeded, final.State);
        Assert.Equal(3, final.Attempts);
        Assert.Equal(1, _driver.AppliedCount($"{taskId}/main"));
        Assert.Equal(2, final.Steps.Count(s => s is { Type: StepType.Executing, Status: StepStatus.Failed }));
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(1, quota.Used.Vms);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
    }

    [Fact]
    public async Task Create_WhenEveryAttemptFails_RollsBack_AndReleasesQuotaAndCapacity()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        await FailEveryHost<CreateVm>(3, retryable: true);
        var taskId = NewId("tsk");

        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("doomed", cpu: 3)))).IsSuccess);
        var final = await Final(_grains, taskId);

        Assert.Equal(TaskState.RolledBack, final.State);
        Assert.Equal(ErrorCodes.HostOperationFailed, final.Error?.Code);
        Assert.Equal(0, _driver.AppliedCount($"{taskId}/main"));
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(ResourceAmount.Zero, quota.Used);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
        var vm = (await _grains.GetGrain<IVmGrain>(final.Result?.VmId ?? ("vm-" + taskId[4..])).Get(tenantId)).Value;
        Assert.Equal(VmState.Failed, vm?.State);
        await AssertNoClaimLeft(taskId);

        // The name is free again: the same request now succeeds.
        _faults.Clear();
        var again = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(again).Submit(Create(tenantId, Vm("doomed", cpu: 3)))).IsSuccess);
        Assert.Equal(TaskState.Succeeded, (await Final(_grains, again)).State);
    }

    [Fact]
    public async Task Create_WithANonRetryableFailure_RollsBackWithoutRetrying()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        await FailEveryHost<CreateVm>(1, retryable: false);
        var taskId = NewId("tsk");

        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("bad-image")))).IsSuccess);
        var final = await Final(_grains, taskId);

        Assert.Equal(TaskState.RolledBack, final.State);
        Assert.Equal(1, final.Attempts);
        Assert.Contains(final.Logs, l => l.Contains("injected", StringComparison.Ordinal));
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Held);
    }

    [Fact]
    public async Task Delete_AfterARetryableFailure_Retries_AndGivesTheQuotaBack()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var create = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(create).Submit(Create(tenantId, Vm("short-lived")));
        var vmId = (await Final(_grains, create)).Result!.VmId!;
        await FailEveryHost<DeleteVm>(1, retryable: true);

        var delete = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(delete).Submit(Delete(tenantId, vmId))).IsSuccess);
        var final = await Final(_grains, delete);

        Assert.Equal(TaskState.Succeeded, final.State);
        Assert.Equal(2, final.Attempts);
        Assert.Equal(VmState.Deleted, (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
    }

    private async Task AssertNoClaimLeft(string taskId)
    {
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            var snapshot = (await _grains.GetGrain<IHostGrain>(host.HostName).Get()).Value!;
            Assert.True(snapshot.Claimed == ResourceAmount.Zero, $"{host.HostName} still holds a claim after {taskId}: {snapshot.Claimed}");
        }
    }
}
