using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Tasks;

[Collection(AllInOneCollection.Name)]
public sealed class VmCreateFlowTests(AllInOneFactory factory)
{
    /// <summary>The exact vm.create body of api.md, with the tenant id swapped for the test's.</summary>
    private static object ApiMdBody(string tenantId) => new
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
    };

    [Fact]
    public async Task VmCreate_ThenDelete_RunsTheWholeWorkflow()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);

        var accepted = await user.PostTask(ApiMdBody(tenantId));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!;
        var taskId = body["taskId"]!.GetValue<string>();
        Assert.Equal($"/api/v1/tenant/tasks/{taskId}", accepted.Headers.Location?.OriginalString);
        Assert.Equal($"/api/v1/tenant/tasks/{taskId}", body["statusUrl"]!.GetValue<string>());

        var task = await user.FinalTask(taskId);
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        Assert.Equal("vm.create", task["action"]!.GetValue<string>());
        var vmId = task["result"]!["vmId"]!.GetValue<string>();

        var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.Equal("running", vm["state"]!.GetValue<string>());
        Assert.Equal("example", vm["name"]!.GetValue<string>());
        Assert.Equal(2, vm["cpu"]!.GetValue<int>());
        Assert.Equal(2048, vm["ramMb"]!.GetValue<long>());
        Assert.Equal(tenantId, vm["tenantId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(vm["host"]!.GetValue<string>()));

        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(2, quota["used"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(2048, quota["used"]!["ramMb"]!.GetValue<long>());
        Assert.Equal(1, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());

        var list = await user.GetJson("/api/v1/tenant/vms");
        Assert.Contains(list["items"]!.AsArray(), v => v!["vmId"]!.GetValue<string>() == vmId);

        var deleteAccepted = await user.PostTask(new { tenantId, action = "vm.delete", target = new { kind = "vm", refId = vmId } });
        Assert.Equal(HttpStatusCode.Accepted, deleteAccepted.StatusCode);
        var deleteTaskId = (await deleteAccepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        Assert.Equal("succeeded", (await user.FinalTask(deleteTaskId))["status"]!.GetValue<string>());

        Assert.Equal("deleted", (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["state"]!.GetValue<string>());
        var after = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(0, after["used"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(0, after["used"]!["vms"]!.GetValue<int>());

        var tasks = await user.GetJson("/api/v1/tenant/tasks");
        Assert.Equal([deleteTaskId, taskId], tasks["items"]!.AsArray().Select(t => t!["taskId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task VmCreate_PastTheQuota_IsQuotaExceededAndReservesNothing()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory, vcpus: 1);

        var response = await user.PostTask(ApiMdBody(tenantId));

        await ApiSession.Problem(response, HttpStatusCode.Conflict, "ERR_QUOTA_EXCEEDED");
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(0, quota["used"]!["vcpus"]!.GetValue<int>());
    }

    [Fact]
    public async Task VmCreate_NamingAnotherTenant_IsTenantMismatch()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);
        var (otherTenant, _) = await admin.NewTenantWithUser(factory);

        var response = await user.PostTask(ApiMdBody(otherTenant));

        await ApiSession.Problem(response, HttpStatusCode.Forbidden, "ERR_TENANT_MISMATCH");
        var quota = await admin.GetJson($"/api/v1/tenant/quota?tenantId={otherTenant}");
        Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());
    }

    [Fact]
    public async Task VmCreate_WithAnIdempotencyKey_ReturnsTheOriginalTask()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);

        var first = await user.PostTask(ApiMdBody(tenantId), idempotencyKey: "retry-me");
        var second = await user.PostTask(ApiMdBody(tenantId), idempotencyKey: "retry-me");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        var secondId = (await second.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        Assert.Equal(firstId, secondId);
        await user.FinalTask(firstId);
        Assert.Equal(1, (await user.GetJson("/api/v1/tenant/quota"))["used"]!["vms"]!.GetValue<int>());
    }

    [Fact]
    public async Task FiftyParallelCreates_OfATenantThatFitsFive_MakeExactlyFiveVms()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory, vcpus: 5, ramMb: 5 * 1024, diskGb: 500, vms: 50);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => user.PostTask(new
        {
            tenantId,
            action = "vm.create",
            data = new { name = $"burst-{i}", cpu = 1, ram = "1GB", disk = "10GB" },
        })));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(5, accepted.Count);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            await ApiSession.Problem(refused, HttpStatusCode.Conflict, "ERR_QUOTA_EXCEEDED");
        }

        foreach (var response in accepted)
        {
            var taskId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
            Assert.Equal("succeeded", (await user.FinalTask(taskId))["status"]!.GetValue<string>());
        }

        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(5, quota["used"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(5, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(5, (await user.GetJson("/api/v1/tenant/vms"))["items"]!.AsArray().Count);
    }
}
