using OrleansCloud.Common;
using OrleansCloud.Networks;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>The network grain: the one place a network's addresses are handed out, its lifecycle, and tenants kept apart.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NetworkGrainTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task TwentyParallelInterfaces_OnA24_GetTwentyDistinctAddressesFromItsSubnet()
    {
        var network = await ActiveNetwork("tenant-a", "10.20.30.0/24");

        var attached = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => network.Attach("tenant-a", $"vm-{i}/nic0")));

        Assert.All(attached, a => Assert.True(a.IsSuccess, a.Error?.Message));
        var addresses = attached.Select(a => a.Value!.Address).ToList();
        Assert.Equal(20, addresses.Distinct().Count());
        Assert.True(Ipv4Subnet.TryParse("10.20.30.0/24", out var subnet));
        Assert.All(addresses, a => Assert.True(Ipv4Subnet.TryParseAddress(a, out var ip) && subnet.IsHost(ip) && a != "10.20.30.1", a));
        Assert.Equal(20, attached.Select(a => a.Value!.Mac).Distinct().Count());
        Assert.Equal(20, (await network.Get("tenant-a")).Value!.Interfaces);
    }

    [Fact]
    public async Task AnotherTenant_FindsNothing_AndCannotAttach()
    {
        var network = await ActiveNetwork("tenant-a", "10.20.31.0/24");

        Assert.Equal(ErrorCodes.NotFound, (await network.Get("tenant-b")).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, (await network.Attach("tenant-b", "vm-x/nic0")).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, (await network.BeginDelete("tenant-b", "tsk-b")).Error!.Code);
        Assert.Equal(0, (await network.Get(null)).Value!.Interfaces);
    }

    [Fact]
    public async Task DeletingANetworkInUse_IsRefused_AndChangesNothing_UntilItsLastInterfaceLeaves()
    {
        var network = await ActiveNetwork("tenant-a", "10.20.32.0/24");
        var nic = (await network.Attach("tenant-a", "vm-1/nic0")).Value!;
        var before = (await network.Get(null)).Value!;

        var refused = await network.BeginDelete("tenant-a", "tsk-delete");

        Assert.Equal(ErrorCodes.Conflict, refused.Error!.Code);
        Assert.Equal(before, (await network.Get(null)).Value!);
        Assert.Equal(nic, (await network.Attach("tenant-a", "vm-1/nic0")).Value!);

        await network.Detach("vm-1/nic0");
        var deleting = await network.BeginDelete("tenant-a", "tsk-delete");
        Assert.Equal(NetworkState.Deleting, deleting.Value!.State);
        Assert.Equal(ErrorCodes.InvalidStateTransition, (await network.Attach("tenant-a", "vm-2/nic0")).Error!.Code);
        await network.End("tsk-delete", failed: false);
        Assert.Equal(NetworkState.Deleted, (await network.Get(null)).Value!.State);
    }

    [Fact]
    public async Task ASubnetWhoseGatewayIsNotAHost_IsRefused()
    {
        var network = _grains.GetGrain<INetworkGrain>(NewId("net"));

        var refused = await network.Create("tenant-a", new NetworkSpec("bad", "default", 100, "10.20.33.0/24", "10.20.33.255"), "tsk-1");

        Assert.Equal(ErrorCodes.Validation, refused.Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, (await network.Get(null)).Error!.Code);
    }

    private async Task<INetworkGrain> ActiveNetwork(string tenantId, string subnet)
    {
        var network = _grains.GetGrain<INetworkGrain>(NewId("net"));
        var gateway = subnet.Replace(".0/24", ".1", StringComparison.Ordinal);
        Assert.True((await network.Create(tenantId, new NetworkSpec("net", "default", 100, subnet, gateway), "tsk-create")).IsSuccess);
        Assert.True((await network.Activate("tsk-create")).IsSuccess);
        return network;
    }
}
