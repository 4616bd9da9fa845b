using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Jobs;

/// <summary>Every task is also a job (api.md): the job, its steps and one step, in the job vocabulary.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class JobViewTests(AllInOneFactory factory)
{
    [Fact]
    public async Task AFinishedVmCreate_IsAFinishedJob_WithValidatingExecutingFinalizingSteps()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "jobbed" } });
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        await user.FinalTask(taskId);

        var job = await user.GetJson($"/api/v1/tenant/jobs/{taskId}");
        Assert.Equal("FINISHED", job["status"]!.GetValue<string>());
        Assert.Equal("vm.create", job["actionType"]!.GetValue<string>());
        Assert.False(job["external"]!.GetValue<bool>());
        Assert.NotNull(job["endTime"]);
        Assert.StartsWith("vm.create vm-", job["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var steps = (await user.GetJson($"/api/v1/tenant/jobs/{taskId}/steps"))["items"]!.AsArray();
        Assert.Equal(["VALIDATING", "EXECUTING", "FINALIZING"], steps.Select(s => s!["type"]!.GetValue<string>()));
        var stepId = steps[1]!["stepId"]!.GetValue<string>();
        Assert.Equal("FINISHED", (await user.GetJson($"/api/v1/tenant/jobs/{taskId}/steps/{stepId}"))["status"]!.GetValue<string>());

        var jobs = await user.GetJson("/api/v1/tenant/jobs");
        Assert.Contains(jobs["items"]!.AsArray(), j => j!["jobId"]!.GetValue<string>() == taskId);
        var asAdmin = await admin.GetJson($"/api/v1/admin/jobs?tenantId={tenantId}");
        Assert.Contains(asAdmin["items"]!.AsArray(), j => j!["jobId"]!.GetValue<string>() == taskId);
    }

    [Fact]
    public async Task AnotherTenantsJob_AndUnknownSteps_AreNotFound()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, owner) = await admin.NewTenantWithUser(factory);
        var (_, stranger) = await admin.NewTenantWithUser(factory);
        var accepted = await owner.PostTask(new { tenantId, action = "vm.create", data = new { name = "private" } });
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();

        await ApiSession.Problem(await stranger.Http.GetAsync($"/api/v1/tenant/jobs/{taskId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.Http.GetAsync($"/api/v1/tenant/jobs/{taskId}/steps"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await owner.Http.GetAsync($"/api/v1/tenant/jobs/{taskId}/steps/no-such-step"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }
}
