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

/// <summary>A cluster whose sagas would retry a failing host for a long time: only the deadline stops them.</summary>
public sealed class PatientClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>
    {
        ["Tasks:MaxAttempts"] = "1000",
        ["Tasks:RetryBackoff"] = "00:00:00.050",
        ["Tasks:Deadline"] = "00:10:00",
    };
}

/// <summary>A task past its deadline is failed and compensated, and its quota and capacity are settled.</summary>
public sealed class DeadlineTests(PatientClusterFixture fixture) : IClassFixture<PatientClusterFixture>, IDisposable
{
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();

    public void Dispose() => _faults.Clear();

    [Fact]
    public async Task ACreateStillRetryingAtItsDeadline_IsRolledBack_AndSettlesEverything()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            _faults.FailNext<CreateVm>(host.HostName, 100_000, retryable: true);
        }

        var taskId = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("late", cpu: 2)))).IsSuccess);
        await Eventually.True(async () => (await _grains.GetGrain<ITaskGrain>(taskId).Get(null)).Value!.Attempts >= 2, "a retry");

        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        var final = await Final(_grains, taskId);

        Assert.Equal(TaskState.RolledBack, final.State);
        Assert.Equal(ErrorCodes.DeadlineExceeded, final.Error?.Code);
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(ResourceAmount.Zero, quota.Used);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
        Assert.Equal(VmState.Failed, (await _grains.GetGrain<IVmGrain>("vm-" + taskId[4..]).Get(tenantId)).Value?.State);
        foreach (var host in await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
        {
            Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<IHostGrain>(host.HostName).Get()).Value!.Claimed);
        }
    }
}
