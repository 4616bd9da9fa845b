using System.Net;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Hosts;

/// <summary>GET /admin/areas: the fleet by failover domain, adding up its hosts.</summary>
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
}
