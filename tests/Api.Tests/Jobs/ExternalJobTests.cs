using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Jobs;

/// <summary>External jobs (api.md): reported from outside, with nested steps, ended, cleared, listed beside the tasks' jobs.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class ExternalJobTests(AllInOneFactory factory)
{
    [Fact]
    public async Task AnExternalJob_OpensNestedSteps_EndsThemInOrder_Ends_AndIsClearedFromTheList()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);

        var created = await user.PostJson("/api/v1/tenant/jobs", Json(new { tenantId, description = "nightly backup", actionType = "backup.run" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var job = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var jobId = job["jobId"]!.GetValue<string>();
        Assert.Equal($"/api/v1/tenant/jobs/{jobId}", created.Headers.Location!.OriginalString);
        Assert.Equal(("STARTED", true, false), (job["status"]!.GetValue<string>(), job["external"]!.GetValue<bool>(), job["autoCleared"]!.GetValue<bool>()));
        Assert.Equal(("backup.run", "nightly backup"), (job["actionType"]!.GetValue<string>(), job["description"]!.GetValue<string>()));
        Assert.StartsWith("u", job["owner"]!.GetValue<string>(), StringComparison.Ordinal);

        var parent = await Created(user, $"/api/v1/tenant/jobs/{jobId}/steps", new { description = "copy volumes" });
        var child = await Created(user, $"/api/v1/tenant/jobs/{jobId}/steps", new { type = "VALIDATING", description = "verify copy", parentStepId = parent });
        Assert.Equal(("EXECUTING", true), await StepTypeAndExternal(user, jobId, parent));
        Assert.Equal(parent, (await user.GetJson($"/api/v1/tenant/jobs/{jobId}/steps/{child}"))["parentStepId"]!.GetValue<string>());

        // A parent cannot end before its child, nor the job before its steps.
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{parent}/end", """{"succeeded":true}"""), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", """{"status":"FINISHED"}"""), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{jobId}/clear", "{}"), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");

        var childEnd = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{child}/end", """{"succeeded":false}""");
        Assert.Equal("FAILED", (await childEnd.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{parent}/end", """{"succeeded":true}""")).StatusCode);
        var ended = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", """{"status":"FINISHED","force":false}""");
        var endedJob = (await ended.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("FINISHED", endedJob["status"]!.GetValue<string>());
        Assert.NotNull(endedJob["endTime"]);
        Assert.Equal(["FINISHED", "FAILED"], endedJob["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()));

        // Ended once: no second end, no more steps.
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", """{"status":"FAILED"}"""), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", Json(new { description = "late" })), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");

        Assert.Contains(jobId, await ListedJobs(user));
        Assert.Contains(jobId, await ListedJobs(admin, tenantId));
        Assert.Equal(HttpStatusCode.NoContent, (await user.PostJson($"/api/v1/tenant/jobs/{jobId}/clear", "{}")).StatusCode);
        Assert.DoesNotContain(jobId, await ListedJobs(user));
        Assert.Equal("FINISHED", (await user.GetJson($"/api/v1/tenant/jobs/{jobId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task EndWithForce_AbortsOpenSteps_AndAnAutoClearedJobLeavesTheListWhenItFinishes()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var forced = await CreatedJob(user, new { description = "migrate", actionType = "vm.migrate" });
        var open = await Created(user, $"/api/v1/tenant/jobs/{forced}/steps", new { description = "copy" });
        var auto = await CreatedJob(admin, new { tenantId, description = "rotate logs", actionType = "ops.logrotate", autoCleared = true }, "admin");

        var ended = await user.PostJson($"/api/v1/tenant/jobs/{forced}/end", """{"status":"ABORTED","force":true}""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson($"/api/v1/admin/jobs/{auto}/end", """{"status":"FINISHED"}""")).StatusCode);

        var forcedJob = (await ended.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("ABORTED", forcedJob["status"]!.GetValue<string>());
        Assert.Equal("ABORTED", (await user.GetJson($"/api/v1/tenant/jobs/{forced}/steps/{open}"))["status"]!.GetValue<string>());
        var listed = await ListedJobs(user);
        Assert.Contains(forced, listed);
        Assert.DoesNotContain(auto, listed);
        Assert.True((await user.GetJson($"/api/v1/tenant/jobs/{auto}"))["autoCleared"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ATasksJob_IsListedBesideExternalOnes_TakesNoStepsOrEndFromOutside_AndIsClearedOnceItsTaskEnded()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "job-side" } });
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        await user.FinalTask(taskId);
        var external = await CreatedJob(user, new { description = "after", actionType = "hook.post-create" });

        Assert.Equal([external, taskId], (await ListedJobs(user)).Take(2));
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{taskId}/steps", Json(new { description = "x" })), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await ApiSession.Problem(await user.PostJson($"/api/v1/tenant/jobs/{taskId}/end", """{"status":"FAILED"}"""), HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");

        Assert.Equal(HttpStatusCode.NoContent, (await user.PostJson($"/api/v1/tenant/jobs/{taskId}/clear", "{}")).StatusCode);

        Assert.Equal([external], await ListedJobs(user));
        Assert.Contains(taskId, (await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray().Select(t => t!["taskId"]!.GetValue<string>()));
        Assert.Equal("FINISHED", (await user.GetJson($"/api/v1/tenant/jobs/{taskId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheSameIdempotencyKey_AnswersTheSameJob_ADifferentBodyUnderItConflicts()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);
        var body = Json(new { description = "import", actionType = "image.import" });

        var first = await user.PostJson("/api/v1/tenant/jobs", body, idempotencyKey: "import-42");
        var again = await user.PostJson("/api/v1/tenant/jobs", body, idempotencyKey: "import-42");
        var other = await user.PostJson("/api/v1/tenant/jobs", Json(new { description = "other", actionType = "image.import" }), idempotencyKey: "import-42");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        await ApiSession.Problem(other, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Single(await ListedJobs(user), j => first.Headers.Location!.OriginalString.EndsWith(j, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/v1/tenant/jobs", "{not json", "body")]
    [InlineData("/api/v1/tenant/jobs", """{"actionType":"backup.run"}""", "description")]
    [InlineData("/api/v1/tenant/jobs", """{"description":"x","actionType":"rm -rf /"}""", "actionType")]
    [InlineData("/api/v1/tenant/jobs", """{"description":"x","actionType":"backup.run","owner":"mallory"}""", "owner")]
    [InlineData("/api/v1/tenant/jobs", """{"description":"x","actionType":"backup.run","autoCleared":"yes"}""", "autoCleared")]
    [InlineData("{job}/steps", """{"description":"x","type":"RUNNING"}""", "type")]
    [InlineData("{job}/steps", """{"type":"EXECUTING"}""", "description")]
    [InlineData("{job}/steps", """{"description":"x","parentStepId":"../etc"}""", "parentStepId")]
    [InlineData("{job}/end", """{"status":"DONE"}""", "status")]
    [InlineData("{job}/end", """{"force":true}""", "status")]
    [InlineData("{job}/end", """[]""", "body")]
    [InlineData("{job}/steps/{step}/end", """{}""", "succeeded")]
    [InlineData("{job}/steps/{step}/end", """{"succeeded":"true"}""", "succeeded")]
    public async Task BadJobBodies_AreValidationErrors_AndChangeNothing(string route, string body, string field)
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);
        var jobId = await CreatedJob(user, new { description = "probe", actionType = "test.probe" });
        var stepId = await Created(user, $"/api/v1/tenant/jobs/{jobId}/steps", new { description = "open" });
        var before = (await user.GetJson($"/api/v1/tenant/jobs/{jobId}")).ToJsonString();
        var jobsBefore = await ListedJobs(user);

        var response = await user.PostJson(route.Replace("{job}", $"/api/v1/tenant/jobs/{jobId}", StringComparison.Ordinal).Replace("{step}", stepId, StringComparison.Ordinal), body);

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, (await user.GetJson($"/api/v1/tenant/jobs/{jobId}")).ToJsonString());
        Assert.Equal(jobsBefore, await ListedJobs(user));
    }

    [Fact]
    public async Task AnotherTenantsExternalJob_IsNotFound_ToReadOrChange_AndAnUnknownStepIsNotFound()
    {
        var admin = await ApiSession.Admin(factory);
        var (ownerTenant, owner) = await admin.NewTenantWithUser(factory);
        var (_, stranger) = await admin.NewTenantWithUser(factory);
        var jobId = await CreatedJob(owner, new { description = "private", actionType = "test.private" });
        var stepId = await Created(owner, $"/api/v1/tenant/jobs/{jobId}/steps", new { description = "open" });

        await ApiSession.Problem(await stranger.Http.GetAsync($"/api/v1/tenant/jobs/{jobId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", Json(new { description = "x" })), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{stepId}/end", """{"succeeded":true}"""), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.PostJson($"/api/v1/tenant/jobs/{jobId}/end", """{"status":"ABORTED","force":true}"""), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.PostJson($"/api/v1/tenant/jobs/{jobId}/clear", "{}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await stranger.PostJson("/api/v1/tenant/jobs", Json(new { tenantId = ownerTenant, description = "spoof", actionType = "x.y" })), HttpStatusCode.Forbidden, "ERR_TENANT_MISMATCH");
        await ApiSession.Problem(await owner.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{jobId}-s9/end", """{"succeeded":true}"""), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await owner.PostJson("/api/v1/tenant/jobs/job-0123456789abcdef0123456789abcdef/end", """{"status":"FAILED"}"""), HttpStatusCode.NotFound, "ERR_NOT_FOUND");

        var job = await owner.GetJson($"/api/v1/tenant/jobs/{jobId}");
        Assert.Equal("STARTED", job["status"]!.GetValue<string>());
        Assert.Equal("STARTED", job["steps"]![0]!["status"]!.GetValue<string>());
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task<string> CreatedJob(ApiSession session, object body, string scope = "tenant")
    {
        var response = await session.PostJson($"/api/v1/{scope}/jobs", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<string>();
    }

    private static async Task<string> Created(ApiSession session, string path, object body)
    {
        var response = await session.PostJson(path, Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var stepId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["stepId"]!.GetValue<string>();
        Assert.EndsWith($"/steps/{stepId}", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return stepId;
    }

    private static async Task<(string Type, bool External)> StepTypeAndExternal(ApiSession session, string jobId, string stepId)
    {
        var step = await session.GetJson($"/api/v1/tenant/jobs/{jobId}/steps/{stepId}");
        return (step["type"]!.GetValue<string>(), step["external"]!.GetValue<bool>());
    }

    private static async Task<List<string>> ListedJobs(ApiSession session, string? tenantId = null)
    {
        var path = tenantId is null ? "/api/v1/tenant/jobs?pageSize=100" : $"/api/v1/admin/jobs?tenantId={tenantId}&pageSize=100";
        return [.. (await session.GetJson(path))["items"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>())];
    }
}
