using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Api.Tests.Libvirt;

/// <summary>The README's session against the all-in-one on the libvirt driver: a real VM comes and goes.</summary>
public sealed class LibvirtEndToEndTests(LibvirtAllInOneFactory factory) : IClassFixture<LibvirtAllInOneFactory>
{
    [Fact]
    public async Task TheApiMdVmCreate_MakesARealRunningDomain_StopAndStartPowerIt_AndVmDeleteRemovesIt()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var hostsUp = await WaitForHost(admin);
        Assert.True(hostsUp, "the libvirt host never reported");

        var accepted = await user.PostTask(new
        {
            tenantId,
            action = "vm.create",
            data = new
            {
                name = "example",
                cpu = 2,
                ram = "2GB",
                imageId = "Rocky-10-GenericCloud-Base.latest",
                cloudInit = new { users = new[] { new { name = "ops" } } },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        var task = await user.FinalTask(taskId);
        Assert.True(task["status"]!.GetValue<string>() == "succeeded", task.ToJsonString());
        var vmId = task["result"]!["vmId"]!.GetValue<string>();

        try
        {
            Assert.Contains(vmId, await RunningDomains());
            var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
            Assert.Equal("running", vm["state"]!.GetValue<string>());
            Assert.Equal(LibvirtAllInOneFactory.HostName, vm["host"]!.GetValue<string>());
            Assert.Contains(task["logs"]!.AsArray(), l => l!.GetValue<string>().Contains("virsh", StringComparison.Ordinal));

            // Stop: the domain stays defined but no longer runs; start: it runs again.
            var stop = await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/stop", null);
            Assert.Equal("succeeded", (await user.FinalTask((await stop.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>()))["status"]!.GetValue<string>());
            Assert.DoesNotContain(vmId, await RunningDomains());
            Assert.Contains(vmId, await AllDomains());
            Assert.Equal("stopped", (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());
            var start = await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/start", null);
            Assert.Equal("succeeded", (await user.FinalTask((await start.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>()))["status"]!.GetValue<string>());
            Assert.Contains(vmId, await RunningDomains());

            var delete = await user.PostTask(new { tenantId, action = "vm.delete", target = new { kind = "vm", refId = vmId } });
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
            var deleteTask = await user.FinalTask((await delete.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>());
            Assert.Equal("succeeded", deleteTask["status"]!.GetValue<string>());
            Assert.DoesNotContain(vmId, await AllDomains());
        }
        finally
        {
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "destroy", vmId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "undefine", vmId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        }
    }

    [Fact]
    public async Task AVirshFailure_EndsTheTaskWithATypedError_ItsStderrInTheTaskLogs_AndTheQuotaBack()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        Assert.True(await WaitForHost(admin), "the libvirt host never reported");
        var network = $"oct-absent-{Guid.NewGuid():N}"[..24];

        // A grain client (not the API, whose network field names tenant networks) asks for a VM on a
        // host network that libvirt does not have: virsh refuses to start the domain.
        var taskId = "tsk-" + Guid.NewGuid().ToString("N");
        var spec = new VmSpec("lost", 1, 256, 3, "debian-12-genericcloud", 2, "{}", null, Network: network);
        var payload = new VmCreatePayload(spec);
        var submitted = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ITaskGrain>(taskId)
            .Submit(new TaskRequest(tenantId, VmCreatePayload.Action, "test", null, payload, "fingerprint-" + taskId));
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        var task = await user.FinalTask(taskId);

        Assert.NotEqual("succeeded", task["status"]!.GetValue<string>());
        Assert.Equal("ERR_HOST_OPERATION_FAILED", task["error"]!["code"]!.GetValue<string>());
        var logs = task["logs"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains(logs, l => l.Contains("stderr:", StringComparison.Ordinal) && l.Contains(network, StringComparison.Ordinal));
        Assert.DoesNotContain("vm-" + taskId["tsk-".Length..], await AllDomains());

        var quota = await user.GetJson($"/api/v1/tenant/quota?tenantId={tenantId}");
        Assert.Equal(0, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vms"]!.GetValue<int>());
    }

    [Fact]
    public async Task AVmOnATenantNetwork_RunsOnAPortTaggedWithItsVlan_ItsSeedCarriesItsAddress_AndDeletesRemoveThePortTheNetworkAndTheAddress()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        Assert.True(await WaitForHost(admin), "the libvirt host never reported");
        var area = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray()
            .Single(h => h!["hostName"]!.GetValue<string>() == LibvirtAllInOneFactory.HostName)!["area"]!.GetValue<string>();
        var created = await user.FinalTask(await TaskIdOf(await user.PostTask(new { tenantId, action = "network.create", data = new { name = "lan", area } })));
        Assert.Equal("succeeded", created["status"]!.GetValue<string>());
        var networkId = created["result"]!["networkId"]!.GetValue<string>();
        var network = await user.GetJson($"/api/v1/tenant/networks/{networkId}");
        var vlan = network["vlan"]!.GetValue<int>();

        var task = await user.FinalTask(await TaskIdOf(await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "on-lan", cpu = 1, ram = "256MB", network = "lan" } })));
        Assert.True(task["status"]!.GetValue<string>() == "succeeded", task.ToJsonString());
        var vmId = task["result"]!["vmId"]!.GetValue<string>();
        try
        {
            var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
            var nic = vm["interfaces"]!.AsArray().Single()!;
            var address = nic["address"]!.GetValue<string>();
            var mac = nic["mac"]!.GetValue<string>();
            Assert.Equal(area, vm["area"]!.GetValue<string>());

            // libvirt: the tenant network exists, the domain's port on it carries the network's VLAN.
            Assert.Contains(networkId, await Virsh("net-list", "--name"));
            var port = (await Virsh("domiflist", vmId)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Single(p => p.Length >= 5 && p[4] == mac)[0];
            Assert.Equal(vlan.ToString(System.Globalization.CultureInfo.InvariantCulture), (await Run("ovs-vsctl", "get", "port", port, "tag")).Trim());

            // The cloud-init seed configures the interface with its address, matched by its MAC.
            var config = await Run("isoinfo", "-R", "-i", Path.Combine(LibvirtAllInOneFactory.StorageDir, vmId + "-seed.iso"), "-x", "/network-config");
            Assert.Contains($"\"{address}/{network["subnet"]!.GetValue<string>().Split('/')[1]}\"", config);
            Assert.Contains(mac, config);

            var deleted = await user.FinalTask(await TaskIdOf(await user.Http.DeleteAsync($"/api/v1/tenant/vms/{vmId}")));
            Assert.Equal("succeeded", deleted["status"]!.GetValue<string>());
            Assert.DoesNotContain(vmId, await AllDomains());
            Assert.DoesNotContain(port, (await Run("ovs-vsctl", "list-ports", "oc-tenants")).Split('\n', StringSplitOptions.TrimEntries));
            Assert.DoesNotContain(networkId, await Virsh("net-list", "--all", "--name"));
            Assert.Equal(0, (await user.GetJson($"/api/v1/tenant/networks/{networkId}"))["interfaces"]!.GetValue<int>());

            var gone = await user.FinalTask(await TaskIdOf(await user.PostTask(new { tenantId, action = "network.delete", target = new { kind = "network", refId = networkId } })));
            Assert.Equal("succeeded", gone["status"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync($"/api/v1/tenant/networks/{networkId}")).StatusCode);
        }
        finally
        {
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "destroy", vmId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "undefine", vmId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "net-destroy", networkId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", "net-undefine", networkId]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        }
    }

    private static async Task<string> TaskIdOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }

    private static async Task<string> Run(string program, params string[] arguments) =>
        (await Cli.Wrap(program).WithArguments(arguments).ExecuteBufferedAsync()).StandardOutput;

    private static async Task<bool> WaitForHost(ApiSession admin)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var hosts = await admin.GetJson("/api/v1/admin/hosts");
            if (hosts["items"]!.AsArray().Any(h => h!["hostName"]?.GetValue<string>() == LibvirtAllInOneFactory.HostName && h["state"]!.GetValue<string>() == "up"))
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static async Task<string[]> RunningDomains() => await Virsh("list", "--name");

    private static async Task<string[]> AllDomains() => await Virsh("list", "--all", "--name");

    private static async Task<string[]> Virsh(params string[] arguments)
    {
        var result = await Cli.Wrap("virsh").WithArguments(["-c", "qemu:///system", .. arguments]).ExecuteBufferedAsync();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
