using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Edge;

/// <summary>Issue 9: an Idempotency-Key on every POST. Same key and body: the original answer; another body: 409.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class IdempotencyKeyTests(AllInOneFactory factory)
{
    [Fact]
    public async Task CreatingATenant_Retried_ReturnsTheOriginalAnswer_AndAnotherBodyIsAConflict()
    {
        var admin = await ApiSession.Admin(factory);
        var tenantId = "idem-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();
        var body = Tenant(tenantId, "First");

        var first = await admin.PostJson("/api/v1/admin/tenants", body, key);
        var retry = await admin.PostJson("/api/v1/admin/tenants", body, key);
        var changed = await admin.PostJson("/api/v1/admin/tenants", Tenant(tenantId, "Second"), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await ApiSession.Problem(changed, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Equal("First", (await admin.GetJson($"/api/v1/admin/tenants/{tenantId}"))["name"]!.GetValue<string>());
        var listed = (await admin.GetJson("/api/v1/admin/tenants"))["items"]!.AsArray();
        Assert.Single(listed, t => t!["tenantId"]!.GetValue<string>() == tenantId);
    }

    [Fact]
    public async Task CreatingATenant_Twice_WithoutAKey_IsStillAConflict()
    {
        var admin = await ApiSession.Admin(factory);
        var body = Tenant("idem-" + Guid.NewGuid().ToString("N")[..8], "Twice");

        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/v1/admin/tenants", body)).StatusCode);
        await ApiSession.Problem(await admin.PostJson("/api/v1/admin/tenants", body), HttpStatusCode.Conflict, "ERR_CONFLICT");
    }

    [Fact]
    public async Task CreatingUsers_AsAdministratorAndAsTenant_Retried_ReturnTheOriginalAnswer()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, member) = await admin.NewTenantWithUser(factory);
        var adminBody = JsonSerializer.Serialize(new
        {
            username = "ia" + Guid.NewGuid().ToString("N")[..8],
            password = "long-enough-password",
            memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } },
        });
        var tenantBody = JsonSerializer.Serialize(new { username = "it" + Guid.NewGuid().ToString("N")[..8], password = "long-enough-password", permissions = new[] { "vm.add" } });

        foreach (var (session, path, body) in new[] { (admin, "/api/v1/admin/users", adminBody), (member, "/api/v1/tenant/users", tenantBody) })
        {
            var key = Guid.NewGuid().ToString();
            var first = await session.PostJson(path, body, key);
            var retry = await session.PostJson(path, body, key);
            var other = await session.PostJson(path, body.Replace("vm.add", "vm.edit", StringComparison.Ordinal), key);

            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
            await ApiSession.Problem(other, HttpStatusCode.Conflict, "ERR_CONFLICT");
        }
    }

    [Fact]
    public async Task AddingAStep_AndEndingAJob_Retried_DoNothingTwice()
    {
        var (_, user) = await (await ApiSession.Admin(factory)).NewTenantWithUser(factory);
        var job = await user.PostJson("/api/v1/tenant/jobs", "{\"description\":\"backup\",\"actionType\":\"backup.run\"}");
        var jobId = (await job.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<string>();
        var stepKey = Guid.NewGuid().ToString();

        var step = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", "{\"description\":\"copy\"}", stepKey);
        var stepRetry = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", "{\"description\":\"copy\"}", stepKey);
        var stepOther = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", "{\"description\":\"other\"}", stepKey);

        Assert.Equal(HttpStatusCode.Created, step.StatusCode);
        Assert.Equal(HttpStatusCode.Created, stepRetry.StatusCode);
        Assert.Equal(await step.Content.ReadAsStringAsync(), await stepRetry.Content.ReadAsStringAsync());
        await ApiSession.Problem(stepOther, HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Single((await user.GetJson($"/api/v1/tenant/jobs/{jobId}/steps"))["items"]!.AsArray());

        var endKey = Guid.NewGuid().ToString();
        var end = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", "{\"status\":\"FINISHED\",\"force\":true}", endKey);
        var endRetry = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", "{\"status\":\"FINISHED\",\"force\":true}", endKey);
        var endWithoutKey = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", "{\"status\":\"FINISHED\",\"force\":true}");

        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        Assert.Equal(HttpStatusCode.OK, endRetry.StatusCode);
        Assert.Equal(await end.Content.ReadAsStringAsync(), await endRetry.Content.ReadAsStringAsync());
        await ApiSession.Problem(endWithoutKey, HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
    }

    [Fact]
    public async Task AFailedAttempt_KeepsNothing_SoTheCorrectedRetryRuns()
    {
        var admin = await ApiSession.Admin(factory);
        var tenantId = "idem-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();

        var refused = await admin.PostJson("/api/v1/admin/tenants", Tenant(tenantId, "bad\u0007name"), key);
        var fixedRetry = await admin.PostJson("/api/v1/admin/tenants", Tenant(tenantId, "Good"), key);

        await ApiSession.Problem(refused, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Equal(HttpStatusCode.Created, fixedRetry.StatusCode);
    }

    [Fact]
    public async Task TheSameKey_OfAnotherCaller_IsTheirOwn()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, alice) = await admin.NewTenantWithUser(factory);
        var (_, bob) = await admin.NewTenantWithUser(factory);
        var key = "shared-" + Guid.NewGuid();

        var a = await alice.PostJson("/api/v1/tenant/jobs", "{\"description\":\"a\",\"actionType\":\"x.run\"}", key);
        var b = await bob.PostJson("/api/v1/tenant/jobs", "{\"description\":\"b\",\"actionType\":\"x.run\"}", key);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
    }

    private static string Tenant(string tenantId, string name) =>
        JsonSerializer.Serialize(new { tenantId, name, quota = new { vcpus = 1, ramMb = 1024, diskGb = 10, vms = 1 } });
}
