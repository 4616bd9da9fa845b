using OrleansCloud.Api.Tests.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Tests.Hosts;

/// <summary>
/// /admin/areas lists the storage pools its hosts report, and /admin/hosts each host's pools with what is
/// placed on them. The hosts made here offer no capability, so no VM of another test lands on them.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class AreaStoragePoolTests(AllInOneFactory factory)
{
    [Fact]
    public async Task AnArea_ListsThePoolsItsHostsReport_SummedPerPool_AndAHostShowsWhatIsClaimedOnEach()
    {
        var admin = await ApiSession.Admin(factory);
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var area = "p" + Guid.NewGuid().ToString("N")[..10];
        var first = $"{area}-h1";
        var second = $"{area}-h2";
        await Report(grains, first, area, new StoragePoolInfo("fast", "/srv/fast", 100, 80), new StoragePoolInfo("images", "/srv/images", 500, 300));
        await Report(grains, second, area, new StoragePoolInfo("fast", "/srv/fast", 100, 50));
        Assert.True((await grains.GetGrain<IHostGrain>(first).TryClaim(new CapacityClaim("claim-1", new ResourceAmount(1, 512, 30, 1), [], "fast"))).IsSuccess);

        var one = await admin.GetJson($"/api/v1/admin/areas/{area}");
        var listed = (await admin.GetJson("/api/v1/admin/areas"))["items"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == area)!;
        var host = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray().Single(h => h!["hostName"]!.GetValue<string>() == first)!;

        foreach (var view in new[] { one, listed })
        {
            var pools = view["storagePools"]!.AsArray();
            Assert.Equal(["fast", "images"], pools.Select(p => p!["name"]!.GetValue<string>()));
            Assert.Equal("/srv/fast", pools[0]!["path"]!.GetValue<string>());
            Assert.Equal(200, pools[0]!["sizeGb"]!.GetValue<long>());
            Assert.Equal(130, pools[0]!["freeGb"]!.GetValue<long>());
            Assert.Equal(2, pools[0]!["hosts"]!.GetValue<int>());
            Assert.Equal(500, pools[1]!["sizeGb"]!.GetValue<long>());
            Assert.Equal(300, pools[1]!["freeGb"]!.GetValue<long>());
        }

        var fast = host["storagePools"]!.AsArray()[0]!;
        Assert.Equal("fast", fast["name"]!.GetValue<string>());
        Assert.Equal(30, fast["committedGb"]!.GetValue<long>());
        Assert.Equal(50, fast["roomGb"]!.GetValue<long>());

        await grains.GetGrain<IHostGrain>(first).ReleaseClaim("claim-1");
        await grains.GetGrain<IHostGrain>(first).SetState(HostState.Maintenance);
        await grains.GetGrain<IHostGrain>(second).SetState(HostState.Maintenance);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheAreasStoragePools()
    {
        var admin = await ApiSession.Admin(factory);

        var schema = (await admin.GetJson("/openapi/v1.json"))["components"]!["schemas"]!["StoragePoolDto"]!;

        Assert.Contains("summed over the hosts", schema["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["name", "path", "sizeGb", "freeGb", "hosts"], schema["properties"]!.AsObject().Select(p => p.Key));
    }

    private static Task Report(IGrainFactory grains, string host, string area, params StoragePoolInfo[] pools) =>
        grains.GetGrain<IHostGrain>(host).Heartbeat(new HostHeartbeat(host, area, "simulated", new ResourceAmount(8, 8192, 1000, 10), [], 0, DateTimeOffset.UtcNow, pools));
}
