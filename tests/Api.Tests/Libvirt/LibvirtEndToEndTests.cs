using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using OrleansCloud.Api.Tests.Http;

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

        // A well-formed name of a network that libvirt does not have: virsh refuses to start the domain.
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "lost", cpu = 1, ram = "256MB", network } });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
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
