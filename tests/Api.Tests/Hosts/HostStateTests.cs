using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Hosts;

/// <summary>Operators take hosts out of placement and back: new VMs avoid them, existing ones keep running.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class HostStateTests(AllInOneFactory factory)
{
    [Fact]
    public async Task HostsInMaintenance_TakeNoNewVms_AndWithEveryHostOutAVmCreateIsNoCapacity()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var hosts = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray().Select(h => h!["hostName"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(3, hosts.Count);
        try
        {
            Assert.Equal("maintenance", await SetState(admin, hosts[0], "maintenance"));
            Assert.Equal("fenced", await SetState(admin, hosts[1], "fenced"));

            var placed = await CreatedVmHost(user, tenantId, "only-one-left");

            Assert.Equal(hosts[2], placed);
            Assert.Equal("maintenance", (await admin.GetJson($"/api/v1/admin/hosts/{hosts[0]}"))["state"]!.GetValue<string>());

            await SetState(admin, hosts[2], "maintenance");
            var refused = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "nowhere" } });
            await ApiSession.Problem(refused, HttpStatusCode.ServiceUnavailable, "ERR_NO_CAPACITY");
            Assert.Equal(1, (await user.GetJson("/api/v1/tenant/quota"))["used"]!["vms"]!.GetValue<int>());
            Assert.Equal(0, (await user.GetJson("/api/v1/tenant/quota"))["held"]!["vms"]!.GetValue<int>());
        }
        finally
        {
            foreach (var host in hosts)
            {
                await SetState(admin, host, "up");
            }
        }

        Assert.NotNull(await CreatedVmHost(user, tenantId, "back-in-service"));
    }

    [Theory]
    [InlineData("sim-01", """{"state":"down"}""", HttpStatusCode.BadRequest, "ERR_VALIDATION")]
    [InlineData("sim-01", """{"state":"UP"}""", HttpStatusCode.BadRequest, "ERR_VALIDATION")]
    [InlineData("sim-01", """{"state":"up","reason":"x"}""", HttpStatusCode.BadRequest, "ERR_VALIDATION")]
    [InlineData("sim-01", "{oops", HttpStatusCode.BadRequest, "ERR_VALIDATION")]
    [InlineData("no-such-host", """{"state":"maintenance"}""", HttpStatusCode.NotFound, "ERR_NOT_FOUND")]
    public async Task BadHostStateRequests_AreRefused_AndChangeNothing(string host, string body, HttpStatusCode status, string code)
    {
        var admin = await ApiSession.Admin(factory);

        var response = await admin.Http.PutAsync($"/api/v1/admin/hosts/{host}/state", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ApiSession.Problem(response, status, code);
        Assert.Equal("up", (await admin.GetJson("/api/v1/admin/hosts/sim-01"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATenantUser_CannotChangeAHostsState()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);

        var response = await user.Http.PutAsync("/api/v1/admin/hosts/sim-01/state", new StringContent("""{"state":"fenced"}""", System.Text.Encoding.UTF8, "application/json"));

        await ApiSession.Problem(response, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        Assert.Equal("up", (await admin.GetJson("/api/v1/admin/hosts/sim-01"))["state"]!.GetValue<string>());
    }

    private static async Task<string> SetState(ApiSession admin, string host, string state)
    {
        var response = await admin.Http.PutAsync($"/api/v1/admin/hosts/{host}/state", new StringContent($$"""{"state":"{{state}}"}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["state"]!.GetValue<string>();
    }

    private static async Task<string?> CreatedVmHost(ApiSession user, string tenantId, string name)
    {
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name } });
        var body = await accepted.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, body?.ToJsonString());
        var task = await user.FinalTask(body!["taskId"]!.GetValue<string>());
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        return task["result"]!["host"]?.GetValue<string>();
    }
}
