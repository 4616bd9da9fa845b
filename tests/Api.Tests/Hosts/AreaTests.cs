using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.Areas;

namespace OrleansCloud.Api.Tests.Hosts;

/// <summary>/admin/areas: failover domains with their settings, and the fleet in each adding up its hosts.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class AreaTests(AllInOneFactory factory)
{
    [Fact]
    public async Task Areas_AddUpTheirHosts_AndAnAreaListsThem()
    {
        var admin = await ApiSession.Admin(factory);
        var hosts = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray();
        var area = hosts[0]!["area"]!.GetValue<string>();
        var inArea = hosts.Where(h => h!["area"]!.GetValue<string>() == area).ToList();

        var listed = (await admin.GetJson("/api/v1/admin/areas"))["items"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == area)!;
        var one = await admin.GetJson($"/api/v1/admin/areas/{area}");

        Assert.Equal(inArea.Count, listed["hosts"]!.GetValue<int>());
        Assert.Equal(inArea.Count, listed["hostsUp"]!.GetValue<int>());
        Assert.Equal(inArea.Sum(h => h!["capacity"]!["vcpus"]!.GetValue<long>()), listed["capacity"]!["vcpus"]!.GetValue<long>());
        Assert.Equal(inArea.Sum(h => h!["free"]!["ramMb"]!.GetValue<long>()), listed["free"]!["ramMb"]!.GetValue<long>());
        Assert.Null(listed["hostList"]);
        Assert.Equal(inArea.Select(h => h!["hostName"]!.GetValue<string>()).Order(), one["hostList"]!.AsArray().Select(h => h!["hostName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnUnknownArea_IsNotFound_AndTenantsMayNotSeeAreas()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);

        await ApiSession.Problem(await admin.Http.GetAsync("/api/v1/admin/areas/no-such-area"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await user.Http.GetAsync("/api/v1/admin/areas"), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    [Fact]
    public async Task AnArea_IsCreatedReadListedChangedAndDeleted()
    {
        var admin = await ApiSession.Admin(factory);
        var area = NewArea();

        var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/areas", new
        {
            area, name = "Prague 1", description = "Rack row A", vlanRange = new { from = 200, to = 299 }, subnetPool = "10.20.0.0/16", publicSubnet = "203.0.113.0/24",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/admin/areas/{area}", created.Headers.Location?.OriginalString);
        var one = await admin.GetJson($"/api/v1/admin/areas/{area}");
        var listed = (await admin.GetJson("/api/v1/admin/areas"))["items"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == area)!;
        var patched = await admin.Http.PatchAsJsonAsync($"/api/v1/admin/areas/{area}", new { vlanRange = new { from = 250, to = 260 }, publicSubnet = "" });
        var after = await admin.GetJson($"/api/v1/admin/areas/{area}");
        var deleted = await admin.Http.DeleteAsync($"/api/v1/admin/areas/{area}");

        Assert.Equal("Prague 1", one["name"]!.GetValue<string>());
        Assert.Equal("Rack row A", one["description"]!.GetValue<string>());
        Assert.Equal(200, one["vlanRange"]!["from"]!.GetValue<int>());
        Assert.Equal(299, one["vlanRange"]!["to"]!.GetValue<int>());
        Assert.Equal("10.20.0.0/16", one["subnetPool"]!.GetValue<string>());
        Assert.Equal("203.0.113.0/24", one["publicSubnet"]!.GetValue<string>());
        Assert.False(one["discovered"]!.GetValue<bool>());
        Assert.Equal(0, one["hosts"]!.GetValue<int>());
        Assert.Empty(one["hostList"]!.AsArray());
        Assert.Empty(one["storagePools"]!.AsArray());
        Assert.Equal("Prague 1", listed["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(250, after["vlanRange"]!["from"]!.GetValue<int>());
        Assert.Null(after["publicSubnet"]);
        Assert.Equal("Rack row A", after["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiSession.Problem(await admin.Http.GetAsync($"/api/v1/admin/areas/{area}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task AnArea_TakesDefaults_AndASecondCreateIsAConflict()
    {
        var admin = await ApiSession.Admin(factory);
        var area = NewArea();

        var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/areas", new { area });
        var again = await admin.Http.PostAsJsonAsync("/api/v1/admin/areas", new { area, name = "Other" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        Assert.Equal(area, body["name"]!.GetValue<string>());
        Assert.Equal(AreaDefaults.VlanRange.From, body["vlanRange"]!["from"]!.GetValue<int>());
        Assert.Equal(AreaDefaults.SubnetPool, body["subnetPool"]!.GetValue<string>());
        await ApiSession.Problem(again, HttpStatusCode.Conflict, "ERR_CONFLICT");
    }

    [Theory]
    [InlineData("""{"area": "Bad_Name"}""", "area")]
    [InlineData("""{"area": "ok", "vlanRange": {"from": 0, "to": 10}}""", "vlanRange")]
    [InlineData("""{"area": "ok", "vlanRange": {"from": 300, "to": 200}}""", "vlanRange")]
    [InlineData("""{"area": "ok", "vlanRange": {"from": 1, "to": 4095}}""", "vlanRange")]
    [InlineData("""{"area": "ok", "vlanRange": {"from": 1}}""", "vlanRange")]
    [InlineData("""{"area": "ok", "subnetPool": "10.0.0.1/8"}""", "subnetPool")]
    [InlineData("""{"area": "ok", "publicSubnet": "not-a-cidr"}""", "publicSubnet")]
    [InlineData("""{"area": "ok", "name": "a\u202Eb"}""", "name")]
    [InlineData("""{"area": "ok", "colour": "red"}""", "colour")]
    public async Task ABadArea_IsAValidationError_NamingTheField(string json, string field)
    {
        var admin = await ApiSession.Admin(factory);

        var problem = await ApiSession.Problem(await admin.PostJson("/api/v1/admin/areas", json), HttpStatusCode.BadRequest, "ERR_VALIDATION");

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        await ApiSession.Problem(await admin.Http.GetAsync("/api/v1/admin/areas/ok"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task AnAreaWithHosts_IsNotDeleted_AndHostsMakeTheirAreaExist()
    {
        var admin = await ApiSession.Admin(factory);
        var area = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray()[0]!["area"]!.GetValue<string>();

        var listed = (await admin.GetJson("/api/v1/admin/areas"))["items"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == area)!;
        await ApiSession.Problem(await admin.Http.DeleteAsync($"/api/v1/admin/areas/{area}"), HttpStatusCode.Conflict, "ERR_CONFLICT");

        Assert.True(listed["hosts"]!.GetValue<int>() > 0);
        Assert.NotNull(listed["vlanRange"]);
    }

    [Fact]
    public async Task ARange_ThatLeavesOutAVlanInUse_IsAConflict_AndAnAreaWithANetworkIsNotDeleted()
    {
        var admin = await ApiSession.Admin(factory);
        var area = NewArea();
        Assert.Equal(HttpStatusCode.Created, (await admin.Http.PostAsJsonAsync("/api/v1/admin/areas", new { area, vlanRange = new { from = 10, to = 20 } })).StatusCode);
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(15, (await grains.GetGrain<IAreaGrain>(area).AllocateVlan("net-1", 15)).Value);

        var shrunk = await admin.Http.PatchAsJsonAsync($"/api/v1/admin/areas/{area}", new { vlanRange = new { from = 16, to = 20 } });
        await ApiSession.Problem(shrunk, HttpStatusCode.Conflict, "ERR_CONFLICT");
        await ApiSession.Problem(await admin.Http.DeleteAsync($"/api/v1/admin/areas/{area}"), HttpStatusCode.Conflict, "ERR_CONFLICT");
        var one = await admin.GetJson($"/api/v1/admin/areas/{area}");

        Assert.Equal(10, one["vlanRange"]!["from"]!.GetValue<int>());
        Assert.Equal(1, one["vlansInUse"]!.GetValue<int>());
        await grains.GetGrain<IAreaGrain>(area).ReleaseVlan("net-1");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/admin/areas/{area}")).StatusCode);
    }

    [Fact]
    public async Task TenantUsers_MayNotChangeAreas()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);

        await ApiSession.Problem(await user.PostJson("/api/v1/admin/areas", """{"area": "mine"}"""), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        await ApiSession.Problem(await user.Http.DeleteAsync("/api/v1/admin/areas/default"), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    private static string NewArea() => "a" + Guid.NewGuid().ToString("N")[..10];
}
