using OrleansCloud.Common;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>Parallel placements never book a host beyond its capacity: the claim on HostGrain decides.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ElectionRaceTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task ParallelClaims_OnOneHost_NeverExceedItsCapacity()
    {
        var hostName = NewId("race");
        var host = _grains.GetGrain<IHostGrain>(hostName);
        await host.Heartbeat(new HostHeartbeat(hostName, "default", "simulated", new ResourceAmount(8, 8192, 100, 100), [], 0, fixture.Clock.GetUtcNow()));

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            host.TryClaim(new CapacityClaim($"claim-{i}", new ResourceAmount(1, 512, 5, 1), []))));

        Assert.Equal(8, claims.Count(c => c.IsSuccess));
        Assert.All(claims.Where(c => !c.IsSuccess), c => Assert.Equal(ErrorCodes.NoCapacity, c.Error!.Code));
        var snapshot = (await host.Get()).Value!;
        Assert.Equal(new ResourceAmount(8, 4096, 40, 8), snapshot.Claimed);
        Assert.True(snapshot.Free.IsNonNegative);
        await host.SetState(HostState.Maintenance);
    }

    [Fact]
    public async Task ParallelCreates_AcrossTenants_FillTheFleetWithoutDoubleBooking()
    {
        var hosts = (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts())
            .Where(h => h.State == HostState.Up).ToList();
        var free = hosts.Sum(h => h.Free.Vcpus);
        var tenants = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => NewTenant(_grains, new ResourceAmount(64, 1 << 20, 5000, 100))));

        // Ask for more than fits: 4-vcpu VMs, spread over ten tenants, all at once.
        var asks = free / 4 + 6;
        var tasks = Enumerable.Range(0, asks).Select(i => (TaskId: NewId("tsk"), Tenant: tenants[i % tenants.Length])).ToList();
        var submitted = await Task.WhenAll(tasks.Select(t =>
            _grains.GetGrain<ITaskGrain>(t.TaskId).Submit(Create(t.Tenant, Vm($"big-{t.TaskId[4..]}", cpu: 4, ramMb: 1024, diskGb: 5)))));

        Assert.All(submitted.Where(s => !s.IsSuccess), s => Assert.Equal(ErrorCodes.NoCapacity, s.Error!.Code));
        var accepted = tasks.Where((_, i) => submitted[i].IsSuccess).ToList();
        var finals = await Task.WhenAll(accepted.Select(t => Final(_grains, t.TaskId)));
        Assert.All(finals, f => Assert.Equal(TaskState.Succeeded, f.State));
        Assert.True(finals.Length <= free / 4, $"{finals.Length} VMs of 4 vcpu placed on {free} free vcpus");

        foreach (var group in finals.GroupBy(f => f.Result!.Host!))
        {
            var snapshot = (await _grains.GetGrain<IHostGrain>(group.Key).Get()).Value!;
            Assert.True(snapshot.Free.IsNonNegative, $"{group.Key} is overbooked: {snapshot.Allocated} of {snapshot.Capacity}");
        }

        // Give the fleet back for the other tests.
        var deletes = finals.Select(f => (TaskId: NewId("tsk"), f.TenantId, VmId: f.Result!.VmId!)).ToList();
        await Task.WhenAll(deletes.Select(d => _grains.GetGrain<ITaskGrain>(d.TaskId).Submit(Delete(d.TenantId, d.VmId))));
        Assert.All(await Task.WhenAll(deletes.Select(d => Final(_grains, d.TaskId))), f => Assert.Equal(TaskState.Succeeded, f.State));
        Assert.All(await Task.WhenAll(deletes.Select(d => _grains.GetGrain<IVmGrain>(d.VmId).Get(d.TenantId))),
            vm => Assert.Equal(VmState.Deleted, vm.Value!.State));
    }
}
