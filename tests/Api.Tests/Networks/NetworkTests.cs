using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.Networks;

namespace OrleansCloud.Api.Tests.Networks;

/// <summary>Tenant networks over HTTP: network.create and network.delete tasks, their VLANs and subnets, and the read routes.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class NetworkTests(AllInOneFactory factory)
{
    private const string Area = "default"; // the simulated hosts' area, discovered from their heartbeats

    [Fact]
    public async Task ANetwork_IsCreatedByATask_WithAVlanASubnetAndAGateway_AndListed()
    {
        var (tenantId, user) = await NewTenant();

        var task = await Create(user, tenantId, new { name = "backend", area = Area });

        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        var networkId = task["result"]!["networkId"]!.GetValue<string>();
        var network = await user.GetJson($"/api/v1/tenant/networks/{networkId}");
        Assert.Equal("backend", network["name"]!.GetValue<string>());
        Assert.Equal(tenantId, network["tenantId"]!.GetValue<string>());
        Assert.Equal(Area, network["area"]!.GetValue<string>());
        Assert.InRange(network["vlan"]!.GetValue<int>(), 100, 4094);
        Assert.True(Ipv4Subnet.TryParse(network["subnet"]!.GetValue<string>(), out var subnet) && subnet.Prefix == 24);
        Assert.Equal(Ipv4Subnet.Format(subnet.FirstHost), network["gateway"]!.GetValue<string>());
        Assert.Equal("active", network["state"]!.GetValue<string>());
        Assert.Equal(0, network["interfaces"]!.GetValue<int>());
        var list = await user.GetJson("/api/v1/tenant/networks");
        Assert.Contains(list["items"]!.AsArray(), n => n!["networkId"]!.GetValue<string>() == networkId);
    }

    [Fact]
    public async Task ParallelCreates_InOneArea_NeverShareAVlanOrASubnet()
    {
        var (tenantId, user) = await NewTenant();

        var tasks = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Create(user, tenantId, new { name = $"par-{i}", area = Area })));

        Assert.All(tasks, t => Assert.Equal("succeeded", t["status"]!.GetValue<string>()));
        var networks = (await user.GetJson("/api/v1/tenant/networks"))["items"]!.AsArray();
        Assert.Equal(12, networks.Count);
        Assert.Equal(12, networks.Select(n => n!["vlan"]!.GetValue<int>()).Distinct().Count());
        Assert.Equal(12, networks.Select(n => n!["subnet"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task AGivenVlanAndSubnet_AreKept_AndTakenOnlyOnce()
    {
        var (tenantId, user) = await NewTenant();
        var vlan = 3000 + Random.Shared.Next(900);

        var first = await Create(user, tenantId, new { name = "given", area = Area, vlan, subnet = "192.168.77.0/24", gateway = "192.168.77.254" });
        var network = await user.GetJson($"/api/v1/tenant/networks/{first["result"]!["networkId"]!.GetValue<string>()}");
        var again = await user.PostTask(new { tenantId, action = "network.create", data = new { name = "other", area = Area, vlan } });

        Assert.Equal(vlan, network["vlan"]!.GetValue<int>());
        Assert.Equal("192.168.77.0/24", network["subnet"]!.GetValue<string>());
        Assert.Equal("192.168.77.254", network["gateway"]!.GetValue<string>());
        await ApiSession.Problem(again, HttpStatusCode.Conflict, "ERR_CONFLICT");
    }

    [Fact]
    public async Task ANameInUse_IsAConflict_AndLeavesNoTask()
    {
        var (tenantId, user) = await NewTenant();
        await Create(user, tenantId, new { name = "dup", area = Area });
        var tasksBefore = (await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray().Count;

        var second = await user.PostTask(new { tenantId, action = "network.create", data = new { name = "dup", area = Area } });

        await ApiSession.Problem(second, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Equal(tasksBefore, (await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"name": "x", "area": "default", "vlan": 0}""", "data.vlan")]
    [InlineData("""{"name": "x", "area": "default", "subnet": "10.1.2.3/24"}""", "data.subnet")]
    [InlineData("""{"name": "x", "area": "default", "subnet": "10.1.2.0/24", "gateway": "10.1.3.1"}""", "data.gateway")]
    [InlineData("""{"name": "x", "area": "default", "gateway": "10.1.3.1"}""", "data.gateway")]
    [InlineData("""{"name": "Not A Name", "area": "default"}""", "data.name")]
    [InlineData("""{"area": "default"}""", "data.name")]
    [InlineData("""{"name": "x", "area": "no-such-area"}""", "data.area")]
    [InlineData("""{"name": "x", "area": "default", "vlan": 5}""", "data.vlan")]
    public async Task BadData_IsAValidationProblem_NamingTheField(string data, string field)
    {
        var (tenantId, user) = await NewTenant();

        var response = await user.PostJson("/api/v1/tenant/tasks", $$"""{"tenantId": "{{tenantId}}", "action": "network.create", "data": {{data}}}""");

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Empty((await user.GetJson("/api/v1/tenant/networks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task DeletingANetworkInUse_IsRefused_AndChangesNothing_ThenItsDeleteFreesTheName()
    {
        var (tenantId, user) = await NewTenant();
        var networkId = (await Create(user, tenantId, new { name = "used", area = Area }))["result"]!["networkId"]!.GetValue<string>();
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<INetworkGrain>(networkId).Attach(tenantId, "vm-attached/nic0");
        var before = (await user.GetJson($"/api/v1/tenant/networks/{networkId}")).ToJsonString();

        var refused = await Delete(user, tenantId, networkId);

        await ApiSession.Problem(refused, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Equal(before, (await user.GetJson($"/api/v1/tenant/networks/{networkId}")).ToJsonString());

        await grains.GetGrain<INetworkGrain>(networkId).Detach("vm-attached/nic0");
        var deleted = await user.FinalTask(await Accepted(await Delete(user, tenantId, networkId)));
        Assert.Equal("succeeded", deleted["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync($"/api/v1/tenant/networks/{networkId}")).StatusCode);
        Assert.Empty((await user.GetJson("/api/v1/tenant/networks"))["items"]!.AsArray());
        Assert.Equal("succeeded", (await Create(user, tenantId, new { name = "used", area = Area }))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsNetwork_IsNotFound_ToReadOrDelete()
    {
        var (tenantA, userA) = await NewTenant();
        var (tenantB, userB) = await NewTenant();
        var networkId = (await Create(userA, tenantA, new { name = "private", area = Area }))["result"]!["networkId"]!.GetValue<string>();

        await ApiSession.Problem(await userB.Http.GetAsync($"/api/v1/tenant/networks/{networkId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await Delete(userB, tenantB, networkId), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        Assert.Equal("active", (await userA.GetJson($"/api/v1/tenant/networks/{networkId}"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMemberWithoutNetworkAdd_IsForbidden()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        using var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/users",
            new { username, password = "correct-horse-battery", memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var member = await ApiSession.SignIn(factory, username, "correct-horse-battery");

        var response = await member.PostTask(new { tenantId, action = "network.create", data = new { name = "nope", area = Area } });

        await ApiSession.Problem(response, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    private async Task<(string TenantId, ApiSession User)> NewTenant() => await (await ApiSession.Admin(factory)).NewTenantWithUser(factory);

    private static async Task<JsonObject> Create(ApiSession user, string tenantId, object data) =>
        await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "network.create", data })));

    private static Task<HttpResponseMessage> Delete(ApiSession user, string tenantId, string networkId) =>
        user.PostTask(new { tenantId, action = "network.delete", target = new { kind = "network", refId = networkId } });

    private static async Task<string> Accepted(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }
}
