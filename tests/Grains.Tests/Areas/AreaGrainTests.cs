using OrleansCloud.Areas;
using OrleansCloud.Common;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Hosts;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Areas;

/// <summary>An area's settings and its VLANs: each VLAN handed to one network only, whatever the concurrency.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AreaGrainTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    private async Task<IAreaGrain> NewArea(int from, int to)
    {
        var area = _grains.GetGrain<IAreaGrain>(NewId("area"));
        var created = await area.Create(new AreaSettings("Test", "", new VlanRange(from, to), "10.0.0.0/8", null));
        Assert.True(created.IsSuccess);
        return area;
    }

    [Fact]
    public async Task FiftyParallelAllocations_InARangeOfTwenty_GiveTwentyDistinctVlans_AndRefuseTheRestWithNoCapacity()
    {
        var area = await NewArea(200, 219);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => area.AllocateVlan($"net-{i}", null)));

        var granted = results.Where(r => r.IsSuccess).Select(r => r.Value).ToList();
        Assert.Equal(20, granted.Count);
        Assert.Equal(Enumerable.Range(200, 20), granted.Order());
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.NoCapacity, r.Error!.Code));
        Assert.Equal(20, (await area.Get()).Value!.VlansInUse);
    }

    [Fact]
    public async Task Allocation_IsIdempotentPerNetwork_AndAReleasedVlanIsHandedOutAgain()
    {
        var area = await NewArea(300, 301);

        var first = await area.AllocateVlan("net-a", null);
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => area.AllocateVlan("net-a", null)));
        var other = await area.AllocateVlan("net-b", null);
        Assert.All(again, r => Assert.Equal(first.Value, r.Value));
        Assert.Equal(300, first.Value);
        Assert.Equal(301, other.Value);
        Assert.Equal(ErrorCodes.NoCapacity, (await area.AllocateVlan("net-c", null)).Error!.Code);

        Assert.True((await area.ReleaseVlan("net-a")).IsSuccess);
        Assert.True((await area.ReleaseVlan("net-a")).IsSuccess);
        Assert.Equal(300, (await area.AllocateVlan("net-c", null)).Value);
    }

    [Fact]
    public async Task AWantedVlan_IsGivenOnce_AndOutsideTheRangeIsAValidationError()
    {
        var area = await NewArea(400, 410);

        var wanted = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => area.AllocateVlan($"net-{i}", 405)));

        Assert.Single(wanted, r => r.IsSuccess);
        Assert.All(wanted.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.Conflict, r.Error!.Code));
        Assert.Equal(ErrorCodes.Validation, (await area.AllocateVlan("net-x", 399)).Error!.Code);
        Assert.Equal(400, (await area.AllocateVlan("net-y", null)).Value);
    }

    [Fact]
    public async Task ARange_ThatLeavesOutAVlanInUse_IsRefused_AndChangesNothing()
    {
        var area = await NewArea(500, 599);
        await area.AllocateVlan("net-a", 550);

        var shrunk = await area.Change(new AreaChange(VlanRange: new VlanRange(500, 549)));
        var kept = await area.Change(new AreaChange(VlanRange: new VlanRange(550, 550), Description: "narrow"));

        Assert.Equal(ErrorCodes.Conflict, shrunk.Error!.Code);
        Assert.True(kept.IsSuccess);
        Assert.Equal(new VlanRange(550, 550), kept.Value!.Settings.VlanRange);
        Assert.Equal("narrow", kept.Value.Settings.Description);
        Assert.Equal(2, kept.Value.Version);
    }

    [Fact]
    public async Task Delete_IsRefusedWhileANetworkHoldsAVlan_OrAHostReportsTheArea()
    {
        var area = await NewArea(600, 610);
        var id = area.GetPrimaryKeyString();
        await area.AllocateVlan("net-a", null);
        Assert.Equal(ErrorCodes.Conflict, (await area.Delete()).Error!.Code);
        await area.ReleaseVlan("net-a");

        var hostName = NewId("area-host");
        var host = _grains.GetGrain<IHostGrain>(hostName);
        await host.Heartbeat(new HostHeartbeat(hostName, id, "simulated", new ResourceAmount(1, 1024, 10, 1), [$"only-{hostName}"], 0, fixture.Clock.GetUtcNow()));
        await Eventually.True(async () => (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Any(h => h.HostName == hostName), "the host is listed");
        Assert.Equal(ErrorCodes.Conflict, (await area.Delete()).Error!.Code);

        await host.Heartbeat(new HostHeartbeat(hostName, "default", "simulated", new ResourceAmount(1, 1024, 10, 1), [$"only-{hostName}"], 0, fixture.Clock.GetUtcNow()));
        await Eventually.True(async () => (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Single(h => h.HostName == hostName).Area == "default", "the host moved");
        Assert.True((await area.Delete()).IsSuccess);
        Assert.Equal(ErrorCodes.NotFound, (await area.Get()).Error!.Code);
        Assert.DoesNotContain(id, await _grains.GetGrain<IDirectoryGrain>(DirectoryKeys.Areas).List());
        await host.SetState(HostState.Maintenance);
    }

    [Fact]
    public async Task AHost_ReportingAnUnknownArea_MakesItADiscoveredArea_ThatAnAdminMayChange()
    {
        var hostName = NewId("disc-host");
        var areaId = NewId("disc");
        var host = _grains.GetGrain<IHostGrain>(hostName);

        await host.Heartbeat(new HostHeartbeat(hostName, areaId, "simulated", new ResourceAmount(1, 1024, 10, 1), [$"only-{hostName}"], 0, fixture.Clock.GetUtcNow()));
        var discovered = (await _grains.GetGrain<IAreaGrain>(areaId).Get()).Value!;
        var created = await _grains.GetGrain<IAreaGrain>(areaId).Create(new AreaSettings("x", "", new VlanRange(1, 2), "10.0.0.0/8", null));
        var changed = (await _grains.GetGrain<IAreaGrain>(areaId).Change(new AreaChange(Name: "Prague 1"))).Value!;

        Assert.True(discovered.Discovered);
        Assert.Equal(AreaDefaults.VlanRange, discovered.Settings.VlanRange);
        Assert.Contains(areaId, await _grains.GetGrain<IDirectoryGrain>(DirectoryKeys.Areas).List());
        Assert.Equal(ErrorCodes.Conflict, created.Error!.Code);
        Assert.False(changed.Discovered);
        Assert.Equal("Prague 1", changed.Settings.Name);
        await host.SetState(HostState.Maintenance);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.168.10.0/24", true)]
    [InlineData("10.0.0.1/8", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("fd00::/8", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("", false)]
    public void Cidr_MustBeAnIPv4NetworkWithoutHostBits(string text, bool valid) =>
        Assert.Equal(valid, AreaRules.IsIPv4Cidr(text));
}
