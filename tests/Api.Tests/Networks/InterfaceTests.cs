using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Networks;

namespace OrleansCloud.Api.Tests.Networks;

/// <summary>
/// VMs on tenant networks over HTTP: vm.create with network(s), vm.attachInterface and
/// vm.detachInterface; addresses come from the network's subnet, never twice, and go back when the
/// interface or the VM goes; the simulated hosts realise a network with its first interface there.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class InterfaceTests(AllInOneFactory factory)
{
    private const string Area = "default";

    [Fact]
    public async Task TwentyParallelCreates_OnOneSlash24_GetTwentyDistinctAddressesOfItsSubnet_AndGiveThemBack()
    {
        var (tenantId, user) = await NewTenant(vms: 20);
        var (networkId, subnet) = await Network(user, tenantId, "lan", "10.77.3.0/24");

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "vm.create", data = Small($"web-{i}", network: "lan") })))));

        Assert.All(created, t => Assert.Equal("succeeded", t["status"]!.GetValue<string>()));
        var vms = await Task.WhenAll(created.Select(t => user.GetJson($"/api/v1/tenant/vms/{t["result"]!["vmId"]!.GetValue<string>()}")));
        var addresses = vms.Select(v => v["interfaces"]!.AsArray().Single()!["address"]!.GetValue<string>()).ToList();
        Assert.Equal(20, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(Ipv4Subnet.TryParseAddress(a, out var ip) && subnet.IsHost(ip) && a != "10.77.3.1", $"{a} is not a host address of {subnet} other than the gateway"));
        Assert.All(vms, v =>
        {
            Assert.Equal(Area, v["area"]!.GetValue<string>());
            var nic = v["interfaces"]!.AsArray().Single()!;
            Assert.Equal("lan", nic["network"]!.GetValue<string>());
            Assert.Matches("^52:54:00(:[0-9a-f]{2}){3}$", nic["mac"]!.GetValue<string>());
            Assert.Equal(nic["address"]!.GetValue<string>(), v["addresses"]!.AsArray().First()!.GetValue<string>());
        });
        Assert.Equal(20, (await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["interfaces"]!.GetValue<int>());

        var deleted = await Task.WhenAll(vms.Select(async v =>
            await user.FinalTask(await Accepted(await user.Http.DeleteAsync($"/api/v1/tenant/vms/{v["vmId"]!.GetValue<string>()}")))));
        Assert.All(deleted, t => Assert.Equal("succeeded", t["status"]!.GetValue<string>()));
        Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["interfaces"]!.GetValue<int>());
    }

    [Fact]
    public async Task AVmOnTwoNetworks_IsPlacedInTheirArea_AndItsHostRealisesBoth_UntilItsLastVmLeaves()
    {
        var (tenantId, user) = await NewTenant();
        var (front, _) = await Network(user, tenantId, "front");
        var (back, _) = await Network(user, tenantId, "back");

        var task = await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "vm.create", data = Small("app", networks: ["front", "back"]) })));

        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        var vm = await user.GetJson($"/api/v1/tenant/vms/{task["result"]!["vmId"]!.GetValue<string>()}");
        var interfaces = vm["interfaces"]!.AsArray();
        Assert.Equal(["front", "back"], interfaces.Select(i => i!["network"]!.GetValue<string>()));
        Assert.Equal(interfaces.Select(i => i!["address"]!.GetValue<string>()), vm["addresses"]!.AsArray().Select(a => a!.GetValue<string>()));
        var host = vm["host"]!.GetValue<string>();
        var simulated = factory.Services.GetRequiredService<SimulatedDriver>();
        Assert.True(simulated.Networks(host).ContainsKey(front) && simulated.Networks(host).ContainsKey(back));
        var vlan = (await user.GetJson($"/api/v1/tenant/networks/{front}"))["vlan"]!.GetValue<int>();
        Assert.Equal(vlan, simulated.Networks(host)[front]);

        var gone = await user.FinalTask(await Accepted(await user.Http.DeleteAsync($"/api/v1/tenant/vms/{vm["vmId"]!.GetValue<string>()}")));

        Assert.Equal("succeeded", gone["status"]!.GetValue<string>());
        Assert.False(simulated.Networks(host).ContainsKey(front) || simulated.Networks(host).ContainsKey(back));
    }

    [Fact]
    public async Task AnInterface_IsAttachedAndDetached_ByTasks_AndItsAddressGoesBack()
    {
        var (tenantId, user) = await NewTenant();
        var (front, _) = await Network(user, tenantId, "front");
        var (extra, _) = await Network(user, tenantId, "extra");
        var vmId = (await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "vm.create", data = Small("svc", network: "front") }))))["result"]!["vmId"]!.GetValue<string>();
        var target = new { kind = "vm", refId = vmId };

        // REST sugar: POST .../interfaces submits vm.attachInterface, DELETE .../interfaces/{network} vm.detachInterface.
        var attached = await user.FinalTask(await Accepted(await user.Http.PostAsJsonAsync($"/api/v1/tenant/vms/{vmId}/interfaces", new { network = "extra" })));
        Assert.Equal("vm.attachInterface", attached["action"]!.GetValue<string>());

        Assert.Equal("succeeded", attached["status"]!.GetValue<string>());
        var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.Equal(["front", "extra"], vm["interfaces"]!.AsArray().Select(i => i!["network"]!.GetValue<string>()));
        Assert.Equal(1, (await user.GetJson($"/api/v1/tenant/networks/{extra}"))["interfaces"]!.GetValue<int>());
        var simulated = factory.Services.GetRequiredService<SimulatedDriver>();
        Assert.True(simulated.Networks(vm["host"]!.GetValue<string>()).ContainsKey(extra));

        var again = await user.PostTask(new { tenantId, action = "vm.attachInterface", target, data = new { network = "extra" } });
        await ApiSession.Problem(again, HttpStatusCode.Conflict, "ERR_CONFLICT");

        var detached = await user.FinalTask(await Accepted(await user.Http.DeleteAsync($"/api/v1/tenant/vms/{vmId}/interfaces/extra")));
        Assert.Equal("vm.detachInterface", detached["action"]!.GetValue<string>());

        Assert.Equal("succeeded", detached["status"]!.GetValue<string>());
        vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.Equal(["front"], vm["interfaces"]!.AsArray().Select(i => i!["network"]!.GetValue<string>()));
        Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{extra}"))["interfaces"]!.GetValue<int>());
        Assert.False(simulated.Networks(vm["host"]!.GetValue<string>()).ContainsKey(extra));
        Assert.Equal(1, (await user.GetJson($"/api/v1/tenant/networks/{front}"))["interfaces"]!.GetValue<int>());
        var deleteNetwork = await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "network.delete", target = new { kind = "network", refId = extra } })));
        Assert.Equal("succeeded", deleteNetwork["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANetworkWithAVm_CannotBeDeleted_AndItsVmKeepsItsAddress()
    {
        var (tenantId, user) = await NewTenant();
        var (networkId, _) = await Network(user, tenantId, "busy");
        var vmId = (await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "vm.create", data = Small("on-busy", network: "busy") }))))["result"]!["vmId"]!.GetValue<string>();
        var before = (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["interfaces"]!.ToJsonString();

        var refused = await user.PostTask(new { tenantId, action = "network.delete", target = new { kind = "network", refId = networkId } });

        await ApiSession.Problem(refused, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Equal("active", (await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["state"]!.GetValue<string>());
        Assert.Equal(before, (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["interfaces"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"name": "x", "network": "no-such-net"}""", "data.network")]
    [InlineData("""{"name": "x", "networks": ["lan", "no-such-net"]}""", "data.networks[1]")]
    [InlineData("""{"name": "x", "networks": ["lan", "lan"]}""", "data.networks[1]")]
    [InlineData("""{"name": "x", "networks": []}""", "data.networks")]
    [InlineData("""{"name": "x", "network": "lan", "networks": ["lan"]}""", "data.networks")]
    [InlineData("""{"name": "x", "network": "Not A Name"}""", "data.network")]
    [InlineData("""{"name": "x", "network": "lan", "area": "elsewhere"}""", "data.area")]
    public async Task ABadNetworkInVmCreate_IsAValidationProblem_AndHoldsNothing(string data, string field)
    {
        var (tenantId, user) = await NewTenant();
        var (networkId, _) = await Network(user, tenantId, "lan");
        var quotaBefore = (await user.GetJson($"/api/v1/tenant/quota?tenantId={tenantId}")).ToJsonString();

        var response = await user.PostJson("/api/v1/tenant/tasks", $$"""{"tenantId": "{{tenantId}}", "action": "vm.create", "data": {{data}}}""");

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Empty((await user.GetJson("/api/v1/tenant/vms"))["items"]!.AsArray());
        Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["interfaces"]!.GetValue<int>());
        Assert.Equal(quotaBefore, (await user.GetJson($"/api/v1/tenant/quota?tenantId={tenantId}")).ToJsonString());
    }

    [Fact]
    public async Task ACreateRefusedForCapacity_AfterItsAddressesWereTaken_GivesThemBack_AndLeavesNoTask()
    {
        var (tenantId, user) = await (await ApiSession.Admin(factory)).NewTenantWithUser(factory, vcpus: 64, ramMb: 65536, diskGb: 100, vms: 2);
        var (lan, _) = await Network(user, tenantId, "lan");
        var (san, _) = await Network(user, tenantId, "san");

        // More vCPUs than any simulated host has: refused by placement after the networks gave their addresses.
        var response = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "huge", cpu = 64, ram = "1GB", disk = "3GB", networks = new[] { "lan", "san" } } });

        await ApiSession.Problem(response, HttpStatusCode.ServiceUnavailable, "ERR_NO_CAPACITY");
        Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{lan}"))["interfaces"]!.GetValue<int>());
        Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{san}"))["interfaces"]!.GetValue<int>());
        Assert.DoesNotContain((await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray(), t => t!["action"]!.GetValue<string>() == "vm.create");
    }

    [Fact]
    public async Task AnotherTenantsNetwork_CannotBeJoined()
    {
        var (tenantA, userA) = await NewTenant();
        var (tenantB, userB) = await NewTenant();
        await Network(userA, tenantA, "mine");

        var response = await userB.PostTask(new { tenantId = tenantB, action = "vm.create", data = Small("intruder", network: "mine") });

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Empty((await userB.GetJson("/api/v1/tenant/vms"))["items"]!.AsArray());
    }

    private static object Small(string name, string? network = null, string[]? networks = null) =>
        network is not null ? new { name, cpu = 1, ram = "512MB", disk = "3GB", network }
        : networks is not null ? new { name, cpu = 1, ram = "512MB", disk = "3GB", networks }
        : new { name, cpu = 1, ram = "512MB", disk = "3GB" };

    private async Task<(string TenantId, ApiSession User)> NewTenant(int vms = 10) =>
        await (await ApiSession.Admin(factory)).NewTenantWithUser(factory, vcpus: vms, ramMb: vms * 512, diskGb: vms * 3, vms: vms);

    private static async Task<(string NetworkId, Ipv4Subnet Subnet)> Network(ApiSession user, string tenantId, string name, string? subnet = null)
    {
        var task = await user.FinalTask(await Accepted(await user.PostTask(new { tenantId, action = "network.create", data = subnet is null ? (object)new { name, area = Area } : new { name, area = Area, subnet } })));
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        var networkId = task["result"]!["networkId"]!.GetValue<string>();
        Ipv4Subnet.TryParse((await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["subnet"]!.GetValue<string>(), out var parsed);
        return (networkId, parsed);
    }

    private static async Task<string> Accepted(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }
}
