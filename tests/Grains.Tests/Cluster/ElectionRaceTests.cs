using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// Parallel placements never book a host beyond its capacity (the claim on HostGrain decides), spread over
/// near-equal hosts, and are refused only when no host fits. Hosts made here carry a capability of their
/// own, so no other test places on them, and are put in maintenance afterwards.
/// </summary>
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

    private static readonly ResourceAmount OneVm = new(2, 2048, 20, 1);

    private async Task<(string Capability, List<string> Hosts)> OneVmHosts(int count)
    {
        var capability = NewId("cap");
        var names = Enumerable.Range(0, count).Select(i => $"{capability}-h{i:D5}").ToList();
        await Task.WhenAll(names.Select(name => _grains.GetGrain<IHostGrain>(name)
            .Heartbeat(new HostHeartbeat(name, "default", "simulated", OneVm, [capability], 0, fixture.Clock.GetUtcNow()))));
        return (capability, names);
    }

    private async Task Retire(IEnumerable<string> hosts) =>
        await Task.WhenAll(hosts.Select(name => _grains.GetGrain<IHostGrain>(name).SetState(HostState.Maintenance)));

    [Fact]
    public async Task TwelveHundredParallelPlacements_OntoAThousandOneVmHosts_PlaceAtLeast990_WithoutDoubleBooking()
    {
        var (capability, hosts) = await OneVmHosts(1000);
        try
        {
            var placement = _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global);
            var request = new PlacementRequest(OneVm, [capability], Area: null);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 1200).Select(i =>
                HostPlacement.ElectAndClaim(placement, request, new PlacementOptions().MaxElectionRounds, async host =>
                    (await _grains.GetGrain<IHostGrain>(host).TryClaim(new CapacityClaim($"{capability}-claim{i}", OneVm, [capability]))).IsSuccess)));

            var placed = outcomes.Where(o => o.Host is not null).ToList();
            Assert.True(placed.Count >= 990, $"only {placed.Count} of 1,200 placed on 1,000 free hosts");
            Assert.Equal(placed.Count, placed.Select(o => o.Host).Distinct().Count());
            var snapshots = await Task.WhenAll(hosts.Select(name => _grains.GetGrain<IHostGrain>(name).Get()));
            Assert.All(snapshots, s => Assert.True(s.Value!.Free.IsNonNegative, $"{s.Value.HostName} is double-booked: {s.Value.Claimed}"));
            Assert.Equal(placed.Count, snapshots.Sum(s => s.Value!.Claimed.Vms));
        }
        finally
        {
            await Retire(hosts);
        }
    }

    [Fact]
    public async Task ConcurrentElections_OverEqualHosts_PickDifferentHosts_AndReturnAtMostTheClaimAttempts()
    {
        var (capability, hosts) = await OneVmHosts(200);
        try
        {
            var placement = _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global);
            var elections = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
                placement.Elect(new PlacementRequest(OneVm, [capability], Area: null))));

            Assert.All(elections, e => Assert.Equal(new PlacementOptions().MaxClaimAttempts, e.Count));
            var firsts = elections.Select(e => e[0]).ToList();

            // Herding would give one first choice; 64 uniform picks over 200 hosts give about 55 distinct.
            Assert.True(firsts.Distinct().Count() >= 40, $"{firsts.Distinct().Count()} distinct first choices of 64");
        }
        finally
        {
            await Retire(hosts);
        }
    }
}
