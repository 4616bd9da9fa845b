using OrleansCloud.Common;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// Claims on a host's storage pools: a disk never lands on a pool without room, parallel claims never
/// overcommit a pool, and vm.create records the pool it was granted. Hosts made here have a capability
/// of their own (no other test places on them) and are put in maintenance afterwards.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoragePoolClaimTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    private async Task<IHostGrain> NewHost(string capability, params StoragePoolInfo[] pools)
    {
        var name = NewId("pool");
        var host = _grains.GetGrain<IHostGrain>(name);
        await host.Heartbeat(new HostHeartbeat(name, "default", "simulated", new ResourceAmount(64, 1 << 20, 10_000, 1000), [capability], 0,
            fixture.Clock.GetUtcNow(), pools));
        return host;
    }

    /// <summary>Leaves the shared cluster as found: no claim left (other tests check every host), the host out of service.</summary>
    private static async Task Retire(IHostGrain host, params string[] claims)
    {
        foreach (var claim in claims)
        {
            await host.ReleaseClaim(claim);
        }

        Assert.Equal(ResourceAmount.Zero, (await host.Get()).Value!.Claimed);
        await host.SetState(HostState.Maintenance);
    }

    private static CapacityClaim Claim(string id, long diskGb, string capability, string? pool = null) =>
        new(id, new ResourceAmount(1, 512, diskGb, 1), [capability], pool);

    [Fact]
    public async Task AClaimBiggerThanItsPoolsRoom_IsRefused_AndOneThatFits_IsGrantedOnThatPool()
    {
        var capability = NewId("cap");
        var host = await NewHost(capability, new StoragePoolInfo("local", "/l", 100, 30), new StoragePoolInfo("images", "/i", 1000, 400));

        var onLocal = await host.TryClaim(Claim("c1", 40, capability, "local"));
        var onDefault = await host.TryClaim(Claim("c2", 40, capability, "no-such-pool"));
        var onImages = await host.TryClaim(Claim("c3", 40, capability, "images"));
        var small = await host.TryClaim(Claim("c4", 30, capability));

        Assert.Equal(ErrorCodes.NoCapacity, onLocal.Error?.Code);
        Assert.Equal(ErrorCodes.NoCapacity, onDefault.Error?.Code);
        Assert.Equal("images", onImages.Value?.Pool);
        Assert.Equal("local", small.Value?.Pool);
        var pools = (await host.Get()).Value!.StoragePools!;
        Assert.Equal([0L, 360L], pools.Select(p => p.RoomGb));
        await Retire(host, "c3", "c4");
    }

    [Fact]
    public async Task ParallelClaims_OnOnePool_NeverOvercommitIt_AndReleasedOrConfirmedSpaceIsAccountedFor()
    {
        var capability = NewId("cap");
        var host = await NewHost(capability, new StoragePoolInfo("local", "/l", 1000, 50));

        var claims = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => host.TryClaim(Claim($"claim-{i}", 5, capability, "local"))));

        Assert.Equal(10, claims.Count(c => c.IsSuccess));
        Assert.All(claims.Where(c => !c.IsSuccess), c => Assert.Equal(ErrorCodes.NoCapacity, c.Error!.Code));
        var granted = Enumerable.Range(0, 30).Where(i => claims[i].IsSuccess).Select(i => $"claim-{i}").ToList();
        Assert.Equal(0, (await host.Get()).Value!.StoragePools![0].RoomGb);

        // A confirmed claim keeps its space as an allocation; a released one gives it back.
        Assert.True((await host.ConfirmClaim(granted[0], "vm-a")).IsSuccess);
        await host.ReleaseClaim(granted[1]);
        Assert.Equal(5, (await host.Get()).Value!.StoragePools![0].RoomGb);
        Assert.False((await host.TryClaim(Claim("late-big", 6, capability))).IsSuccess);
        Assert.True((await host.TryClaim(Claim("late", 5, capability))).IsSuccess);

        await host.ReleaseAllocation("vm-a");
        Assert.Equal(5, (await host.Get()).Value!.StoragePools![0].RoomGb);
        await Retire(host, [.. granted, "late"]);
    }

    [Fact]
    public async Task ANewHeartbeat_WithLessFreeSpace_ShrinksTheRoomLeft()
    {
        var capability = NewId("cap");
        var host = await NewHost(capability, new StoragePoolInfo("local", "/l", 100, 100));
        Assert.True((await host.TryClaim(Claim("c1", 60, capability))).IsSuccess);
        var name = host.GetPrimaryKeyString();

        await host.Heartbeat(new HostHeartbeat(name, "default", "simulated", new ResourceAmount(64, 1 << 20, 10_000, 1000), [capability], 0,
            fixture.Clock.GetUtcNow(), [new StoragePoolInfo("local", "/l", 100, 70)]));

        Assert.Equal(10, (await host.Get()).Value!.StoragePools![0].RoomGb);
        Assert.False((await host.TryClaim(Claim("c2", 11, capability))).IsSuccess);
        await Retire(host, "c1");
    }

    [Fact]
    public async Task VmCreate_OnAHostWithoutTheImagesPool_RecordsTheHostsDefaultPoolAndTheImageFile()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(2, 4096, 50, 2));
        var taskId = NewId("tsk");
        var spec = Vm($"pooled-{taskId[4..]}") with { Pool = "no-such-pool", ImageFile = "debian-12-genericcloud.qcow2" };

        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, spec));
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        var final = await Final(_grains, taskId);

        Assert.Equal(TaskState.Succeeded, final.State);
        var vm = (await _grains.GetGrain<OrleansCloud.Vms.IVmGrain>(final.Result!.VmId!).Get(tenantId)).Value!;
        var host = (await _grains.GetGrain<IHostGrain>(final.Result.Host!).Get()).Value!;
        Assert.Equal(host.StoragePools![0].Pool.Name, vm.Spec.Pool);
        Assert.Equal("debian-12-genericcloud.qcow2", vm.Spec.ImageFile);
    }
}
