using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Vms;

/// <summary>vm.stop and vm.start over HTTP: as tasks, and as REST sugar on the VM.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class VmPowerTests(AllInOneFactory factory)
{
    [Fact]
    public async Task AVm_StopsAndStartsAgain_ThroughTasksAndSugar_WithTheQuotaUnchanged()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var vmId = await RunningVm(user, tenantId, "power");
        var quota = (await user.GetJson("/api/v1/tenant/quota")).ToJsonString();

        var stop = await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        var stopped = await user.FinalTask(await TaskId(stop));
        Assert.Equal(("succeeded", "vm.stop"), (stopped["status"]!.GetValue<string>(), stopped["action"]!.GetValue<string>()));
        Assert.Equal("stopped", (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());

        var start = await user.PostTask(new { tenantId, action = "vm.start", target = new { kind = "vm", refId = vmId } });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("succeeded", (await user.FinalTask(await TaskId(start)))["status"]!.GetValue<string>());
        Assert.Equal("running", (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());
        Assert.Equal(quota, (await user.GetJson("/api/v1/tenant/quota")).ToJsonString());
    }

    [Fact]
    public async Task StartingARunningVm_IsAnInvalidStateTransition_AndPowerActionsNeedVmEdit()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var vmId = await RunningVm(user, tenantId, "already-up");

        await ApiSession.Problem(await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/start", null), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await ApiSession.Problem(
            await user.PostTask(new { tenantId, action = "vm.stop", target = new { kind = "vm", refId = vmId }, data = new { hard = true } }),
            HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await ApiSession.Problem(await user.PostTask(new { tenantId, action = "vm.stop" }), HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await ApiSession.Problem(await user.Http.PostAsync("/api/v1/tenant/vms/vm-nosuchvm/stop", null), HttpStatusCode.NotFound, "ERR_NOT_FOUND");

        var readOnly = await admin.PostJson("/api/v1/admin/users", System.Text.Json.JsonSerializer.Serialize(new
        {
            username = "ro" + Guid.NewGuid().ToString("N")[..8],
            password = "correct-horse-battery",
            memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } },
        }));
        var name = (await readOnly.Content.ReadFromJsonAsync<JsonObject>())!["username"]!.GetValue<string>();
        var viewer = await ApiSession.SignIn(factory, name, "correct-horse-battery");
        await ApiSession.Problem(await viewer.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/stop", null), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        Assert.Equal("running", (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());
    }

    private static async Task<string> RunningVm(ApiSession user, string tenantId, string name)
    {
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name } });
        var task = await user.FinalTask(await TaskId(accepted));
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        return task["result"]!["vmId"]!.GetValue<string>();
    }

    private static async Task<string> TaskId(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }
}
