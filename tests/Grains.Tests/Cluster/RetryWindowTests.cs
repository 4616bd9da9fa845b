using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>A cluster whose sagas retry a failing host for a while (an agent restarting), and at most three times after that.</summary>
public sealed class RetryWindowClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>
    {
        ["Tasks:RetryWindow"] = "00:01:00",
        ["Tasks:MaxAttempts"] = "3",
    };
}

/// <summary>
/// Host operations outlast a short agent outage: retryable failures are retried within the retry
/// window past the attempt count, and a delete rolls forward until the host confirms it.
/// </summary>
public sealed class RetryWindowTests(RetryWindowClusterFixture fixture) : IClassFixture<RetryWindowClusterFixture>, IDisposable
{
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();

    public void Dispose() => _faults.Clear();

    [Fact]
    public async Task ACreate_OutlastsMoreRetryableFailuresThanItsAttempts_WithinTheWindow()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            _faults.FailNext<CreateVm>(host.HostName, 6, retryable: true);
        }

        var task = await Run(Create(tenantId, Requests.Vm("patient")));

        Assert.Equal(TaskState.Succeeded, task.State);
        Assert.True(task.Attempts >= 7, $"{task.Attempts} attempts");
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used.Vms);
    }

    [Fact]
    public async Task ADelete_RollsForwardPastTheWindow_UntilTheHostConfirmsIt()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var created = await Run(Create(tenantId, Requests.Vm("doomed")));
        var vmId = created.Result!.VmId!;
        var host = created.Result.Hosts[HostRoles.Host];
        _faults.FailNext<DeleteVm>(host, 8, retryable: true);

        var taskId = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Delete(tenantId, vmId))).IsSuccess);
        await Eventually.True(async () => (await _grains.GetGrain<ITaskGrain>(taskId).Get(null)).Value!.Attempts >= 2, "the delete to be retrying");
        fixture.Clock.Advance(TimeSpan.FromMinutes(2)); // past the retry window, well before the deadline
        var deleted = await Final(_grains, taskId);

        Assert.Equal(TaskState.Succeeded, deleted.State);
        Assert.Equal(VmState.Deleted, (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
    }

    [Fact]
    public async Task ACreate_PastItsWindowAndAttempts_RollsBack()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            _faults.FailNext<CreateVm>(host.HostName, 1000, retryable: true);
        }

        var taskId = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Requests.Vm("impatient")))).IsSuccess);
        await Eventually.True(async () => (await _grains.GetGrain<ITaskGrain>(taskId).Get(null)).Value!.Attempts >= 3, "three attempts");
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var task = await Final(_grains, taskId);

        Assert.Equal(TaskState.RolledBack, task.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
    }

    private async Task<TaskView> Run(OrleansCloud.Tasks.TaskRequest request)
    {
        var taskId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        return await Final(_grains, taskId);
    }
}
