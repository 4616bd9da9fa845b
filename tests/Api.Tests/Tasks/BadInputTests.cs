using System.Net;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Tasks;

[Collection(AllInOneCollection.Name)]
public sealed class BadInputTests(AllInOneFactory factory)
{
    [Theory]
    [InlineData("{\"tenantId\": \"x\", \"action\": ", "malformed JSON")]
    [InlineData("{\"tenantId\": \"{t}\", \"action\": \"vm.explode\", \"data\": {}}", "unknown action")]
    [InlineData("{\"tenantId\": \"{t}\", \"action\": \"vm.create\", \"data\": {\"name\": \"a\", \"cpu\": -2}}", "negative cpu")]
    [InlineData("{\"tenantId\": \"{t}\", \"action\": \"vm.create\", \"data\": {\"name\": \"a\", \"ram\": \"GB\"}}", "ram without a number")]
    [InlineData("{\"tenantId\": \"{t}\", \"action\": \"vm.create\", \"data\": {\"name\": \"Not A Name!\"}}", "bad name")]
    [InlineData("{\"tenantId\": \"{t}\", \"action\": \"vm.create\", \"data\": {\"cpu\": 1}}", "missing name")]
    [InlineData("[1, 2, 3]", "not an object")]
    public async Task BadTaskBodies_AreValidationErrors_AndChangeNothing(string template, string why)
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);

        var response = await user.PostJson("/api/v1/tenant/tasks", template.Replace("{t}", tenantId, StringComparison.Ordinal));

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.True(quota["held"]!["vcpus"]!.GetValue<int>() == 0, why);
        Assert.Empty((await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task NoToken_IsUnauthenticated()
    {
        var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/api/v1/tenant/vms");

        await ApiSession.Problem(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    [Fact]
    public async Task ABadSignature_IsUnauthenticated()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        var response = await client.GetAsync("/api/v1/tenant/quota");

        await ApiSession.Problem(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    [Fact]
    public async Task WrongPassword_IsUnauthenticated()
    {
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/v1/auth/token",
            new StringContent("{\"username\":\"root\",\"password\":\"nope\"}", System.Text.Encoding.UTF8, "application/json"));

        await ApiSession.Problem(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    [Fact]
    public async Task ATenantUser_OnAnAdminRoute_IsForbidden()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);

        var response = await user.Http.GetAsync("/api/v1/admin/tenants");

        await ApiSession.Problem(response, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    [Fact]
    public async Task CreatingATenantTwice_IsAConflict()
    {
        var admin = await ApiSession.Admin(factory);
        var body = "{\"tenantId\":\"twice-" + Guid.NewGuid().ToString("N")[..6] + "\",\"name\":\"Twice\",\"quota\":{\"vcpus\":1,\"ramMb\":1024,\"diskGb\":10,\"vms\":1}}";

        var first = await admin.PostJson("/api/v1/admin/tenants", body);
        var second = await admin.PostJson("/api/v1/admin/tenants", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ApiSession.Problem(second, HttpStatusCode.Conflict, "ERR_CONFLICT");
    }

    [Fact]
    public async Task AnotherTenantsResources_AreNotFound_ToReadOrDelete()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantA, userA) = await admin.NewTenantWithUser(factory);
        var (tenantB, userB) = await admin.NewTenantWithUser(factory);
        var created = await userA.PostTask(new { tenantId = tenantA, action = "vm.create", data = new { name = "secret" } });
        var taskId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(created.Content))!["taskId"]!.GetValue<string>();
        var vmId = (await userA.FinalTask(taskId))["result"]!["vmId"]!.GetValue<string>();

        var peek = await userB.Http.GetAsync($"/api/v1/tenant/vms/{vmId}");
        var delete = await userB.PostTask(new { tenantId = tenantB, action = "vm.delete", target = new { kind = "vm", refId = vmId } });
        var sugar = await userB.Http.DeleteAsync($"/api/v1/tenant/vms/{vmId}");

        await ApiSession.Problem(peek, HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(delete, HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(sugar, HttpStatusCode.NotFound, "ERR_NOT_FOUND");

        // Nothing of A's is readable by B: its task, its job and steps, its quota, its lists.
        await ApiSession.Problem(await userB.Http.GetAsync($"/api/v1/tenant/tasks/{taskId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await userB.Http.GetAsync($"/api/v1/tenant/jobs/{taskId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await userB.Http.GetAsync($"/api/v1/tenant/jobs/{taskId}/steps"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        foreach (var route in new[] { "quota", "vms", "tasks", "jobs", "events" })
        {
            await ApiSession.Problem(await userB.Http.GetAsync($"/api/v1/tenant/{route}?tenantId={tenantA}"), HttpStatusCode.Forbidden, "ERR_TENANT_MISMATCH");
        }

        var listed = (await userB.GetJson("/api/v1/tenant/vms"))["items"]!.AsArray();
        Assert.DoesNotContain(listed, v => v!["vmId"]!.GetValue<string>() == vmId);
        var tasks = (await userB.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray();
        Assert.DoesNotContain(tasks, t => t!["taskId"]!.GetValue<string>() == taskId);
        Assert.Equal("running", (await userA.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryRoute_ItsBodyAndItsProblems()
    {
        var client = factory.CreateClient();

        var document = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        foreach (var route in new[] { "/api/v1/auth/token", "/api/v1/admin/tenants", "/api/v1/admin/tenants/{tenantId}/quota", "/api/v1/admin/users",
                     "/api/v1/admin/hosts", "/api/v1/tenant/quota", "/api/v1/tenant/tasks", "/api/v1/tenant/tasks/{taskId}", "/api/v1/admin/tasks",
                     "/api/v1/tenant/vms", "/api/v1/tenant/vms/{vmId}", "/api/v1/tenant/jobs", "/api/v1/tenant/jobs/{jobId}/steps",
                     "/api/v1/tenant/jobs/{jobId}/end", "/api/v1/tenant/jobs/{jobId}/steps/{stepId}/end", "/api/v1/tenant/jobs/{jobId}/clear", "/api/v1/admin/jobs" })
        {
            Assert.True(paths.ContainsKey(route), $"{route} is missing from the OpenAPI document");
        }

        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/dashboard", StringComparison.Ordinal));
        foreach (var (path, operations) in paths)
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.Any(r => r.Key.StartsWith('4') && r.Value!["content"]?.AsObject().ContainsKey("application/problem+json") == true),
                    $"{method} {path} documents no problem response");
                // Action routes (clear a job, start or stop a VM) are the POSTs without a body.
                if (method is "post" or "put" && !path.EndsWith("/clear", StringComparison.Ordinal)
                    && !path.EndsWith("/start", StringComparison.Ordinal) && !path.EndsWith("/stop", StringComparison.Ordinal))
                {
                    Assert.True(operation["requestBody"] is not null, $"{method} {path} documents no body");
                }
            }
        }

        Assert.Empty(paths["/api/v1/auth/token"]!["post"]!["security"]!.AsArray());
        Assert.True(paths["/api/v1/tenant/tasks"]!["post"]!["responses"]!.AsObject().ContainsKey("409"));
    }
}
