using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Edge;

/// <summary>
/// The attacker's inputs of issue 13: each ends in a 4xx problem with a code, and a read-back shows nothing changed.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class HardenedInputTests(AllInOneFactory factory)
{
    [Theory]
    [InlineData("\"ram\": \"100000000000000000000000TB\"")]
    [InlineData("\"ram\": \"79228162514264337593543950335GB\"")]
    [InlineData("\"ram\": 1e300")]
    [InlineData("\"disk\": \"99999999999999999999999999TB\"")]
    [InlineData("\"ram\": \"18014398509481984TB\"")]
    public async Task AnOverflowingSize_IsAValidationError_AndMakesNoTask(string field)
    {
        var (tenantId, user) = await NewTenantUser();

        var response = await user.PostJson("/api/v1/tenant/tasks",
            $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":\"big\",{field}}}}}");

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await AssertNoTaskAndNoHold(user);
    }

    [Theory]
    [InlineData("\"cpu\": \"2\"")]
    [InlineData("\"cpu\": 2.5")]
    [InlineData("\"cpu\": 99999999999")]
    public async Task ANumberAsAStringOrOutOfRange_WhereTheContractSaysInteger_IsRefused(string field)
    {
        var (tenantId, user) = await NewTenantUser();

        var response = await user.PostJson("/api/v1/tenant/tasks",
            $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":\"typed\",{field}}}}}");

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await AssertNoTaskAndNoHold(user);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("imageId")]
    [InlineData("cloudInit")]
    public async Task InvalidUtf8_InATaskBody_IsAValidationError(string field)
    {
        var (tenantId, user) = await NewTenantUser();
        var value = field == "cloudInit" ? "{\"users\":[{\"name\":\"o\u0001\"}]}" : "\"a\u0001b\"";
        var json = field == "name"
            ? $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":{value}}}}}"
            : $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":\"ok\",\"{field}\":{value}}}}}";
        // \u0001 stands in for the byte 0xC3 alone: the lead byte of a two-byte sequence with no continuation.
        var bytes = Encoding.UTF8.GetBytes(json).Select(b => b == 0x01 ? (byte)0xC3 : b).ToArray();

        var response = await user.Http.PostAsync("/api/v1/tenant/tasks", Json(bytes));

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Contains("UTF-8", problem["errors"]!.ToJsonString(), StringComparison.Ordinal);
        await AssertNoTaskAndNoHold(user);
    }

    [Fact]
    public async Task ALoneSurrogateEscape_IsAValidationError()
    {
        var (tenantId, user) = await NewTenantUser();

        var response = await user.PostJson("/api/v1/tenant/tasks",
            $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":\"\\udc00\"}}}}");

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await AssertNoTaskAndNoHold(user);
    }

    [Theory]
    [InlineData("POST", "/api/v1/admin/tenants")]
    [InlineData("POST", "/api/v1/admin/users")]
    [InlineData("PUT", "/api/v1/admin/tenants/{t}/quota")]
    [InlineData("POST", "/api/v1/tenant/tasks")]
    [InlineData("POST", "/api/v1/admin/jobs")]
    [InlineData("POST", "/api/v1/auth/token")]
    public async Task ABodyOverTheLimit_IsPayloadTooLarge(string method, string path)
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var before = await admin.GetJson($"/api/v1/admin/tenants/{tenantId}");
        var padding = new string('x', 2 * 1024 * 1024);
        var json = $"{{\"tenantId\":\"{tenantId}\",\"name\":\"{padding}\"}}";

        var response = await admin.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{t}", tenantId, StringComparison.Ordinal))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

        await ApiSession.Problem(response, HttpStatusCode.RequestEntityTooLarge, "ERR_PAYLOAD_TOO_LARGE");
        Assert.Equal(before.ToJsonString(), (await admin.GetJson($"/api/v1/admin/tenants/{tenantId}")).ToJsonString());
    }

    [Theory]
    [InlineData("[null]", "memberships[0]")]
    [InlineData("[{\"tenantId\":\" \",\"permissions\":[]}]", "memberships[0].tenantId")]
    [InlineData("[{\"tenantId\":\"\",\"permissions\":[]}]", "memberships[0].tenantId")]
    [InlineData("[{\"tenantId\":null,\"permissions\":[]}]", "memberships[0].tenantId")]
    [InlineData("[{\"tenantId\":\"{t}\",\"permissions\":[null]}]", "memberships[0].permissions")]
    public async Task ABadMembership_IsAValidationError_AndMakesNoUser(string memberships, string field)
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var username = "u" + Guid.NewGuid().ToString("N")[..10];

        var response = await admin.PostJson("/api/v1/admin/users",
            $"{{\"username\":\"{username}\",\"password\":\"long-enough-password\",\"memberships\":{memberships.Replace("{t}", tenantId, StringComparison.Ordinal)}}}");

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.NotNull(problem["errors"]![field]);
        await ApiSession.Problem(await admin.Http.GetAsync($"/api/v1/admin/users/{username}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Theory]
    [InlineData("/api/v1/admin/tenants/%20")]
    [InlineData("/api/v1/admin/tenants/%20/quota")]
    [InlineData("/api/v1/admin/users/%20")]
    [InlineData("/api/v1/admin/users/a%0Ab")]
    [InlineData("/api/v1/admin/tasks/%20")]
    [InlineData("/api/v1/admin/jobs/%09")]
    [InlineData("/api/v1/admin/hosts/%E2%80%AE")]
    public async Task ABlankOrMalformedIdInThePath_IsNotFound(string path)
    {
        var admin = await ApiSession.Admin(factory);

        var response = path.EndsWith("/quota", StringComparison.Ordinal)
            ? await admin.Http.PutAsync(path, new StringContent("{\"vcpus\":1,\"ramMb\":1,\"diskGb\":1,\"vms\":1}", Encoding.UTF8, "application/json"))
            : await admin.Http.GetAsync(path);

        await ApiSession.Problem(response, HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Theory]
    [InlineData("/api/v1/tenant/quota?tenantId=%20")]
    [InlineData("/api/v1/tenant/tasks?tenantId=%20")]
    [InlineData("/api/v1/tenant/jobs?tenantId=%20")]
    [InlineData("/api/v1/tenant/vms?tenantId=%20")]
    [InlineData("/api/v1/tenant/users?tenantId=a%00b")]
    [InlineData("/api/v1/tenant/jobs?pageSize=abc")]
    [InlineData("/api/v1/tenant/tasks?pageSize=abc")]
    [InlineData("/api/v1/tenant/tasks?pageSize=99999999999999999999")]
    public async Task ABadQueryValue_IsAValidationError(string path)
    {
        var admin = await ApiSession.Admin(factory);

        var response = await admin.Http.GetAsync(path);

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"vcpus\":4}")]
    [InlineData("{\"vcpus\":4,\"ramMb\":4096,\"diskGb\":40}")]
    [InlineData("{\"vcpus\":\"4\",\"ramMb\":4096,\"diskGb\":40,\"vms\":2}")]
    [InlineData("{\"vcpus\":4,\"ramMb\":\"4096\",\"diskGb\":40,\"vms\":2}")]
    [InlineData("{\"vcpus\":4.5,\"ramMb\":4096,\"diskGb\":40,\"vms\":2}")]
    [InlineData("{\"vcpus\":-1,\"ramMb\":4096,\"diskGb\":40,\"vms\":2}")]
    [InlineData("{\"vcpus\":null,\"ramMb\":4096,\"diskGb\":40,\"vms\":2}")]
    [InlineData("{\"vcpus\":4,\"ramMb\":4096,\"diskGb\":40,\"vms\":2,\"extra\":1}")]
    public async Task AnIncompleteOrMistypedQuota_IsRefused_AndTheLimitsStay(string body)
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var before = (await admin.GetJson($"/api/v1/admin/tenants/{tenantId}"))["quota"]!.ToJsonString();

        var response = await admin.Http.PutAsync($"/api/v1/admin/tenants/{tenantId}/quota", new StringContent(body, Encoding.UTF8, "application/json"));

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Equal(before, (await admin.GetJson($"/api/v1/admin/tenants/{tenantId}"))["quota"]!.ToJsonString());
    }

    [Fact]
    public async Task ACompleteQuota_ReplacesTheLimits()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);

        var response = await admin.Http.PutAsync($"/api/v1/admin/tenants/{tenantId}/quota",
            new StringContent("{\"vcpus\":3,\"ramMb\":3072,\"diskGb\":30,\"vms\":3}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var quota = (await admin.GetJson($"/api/v1/admin/tenants/{tenantId}"))["quota"]!;
        Assert.Equal(3, quota["vcpus"]!.GetValue<int>());
        Assert.Equal(3072, quota["ramMb"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("invoice\u202efdp.exe")]
    [InlineData("nul\u0000inside")]
    [InlineData("two\nlines")]
    [InlineData("bell\u0007")]
    [InlineData("zero\u200bwidth")]
    [InlineData("isolate\u2066x")]
    [InlineData("   ")]
    public async Task ControlAndBidiCharacters_InADisplayName_AreRefused(string name)
    {
        var admin = await ApiSession.Admin(factory);
        var tenantId = "t" + Guid.NewGuid().ToString("N")[..10];

        var response = await admin.PostJson("/api/v1/admin/tenants", System.Text.Json.JsonSerializer.Serialize(
            new { tenantId, name, quota = new { vcpus = 1, ramMb = 1024, diskGb = 10, vms = 1 } }));

        var problem = await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.NotNull(problem["errors"]!["name"]);
        await ApiSession.Problem(await admin.Http.GetAsync($"/api/v1/admin/tenants/{tenantId}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Theory]
    [InlineData("invoice\u202efdp.exe")]
    [InlineData("nul\u0000inside")]
    [InlineData("two\r\nlines")]
    public async Task ControlAndBidiCharacters_InAJobDescription_AreRefused(string description)
    {
        var (_, user) = await NewTenantUser();

        var job = await user.PostJson("/api/v1/tenant/jobs", System.Text.Json.JsonSerializer.Serialize(new { description, actionType = "backup.run" }));

        await ApiSession.Problem(job, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.Empty((await user.GetJson("/api/v1/tenant/jobs"))["items"]!.AsArray());
    }

    [Fact]
    public async Task UnicodeText_WithinTheRules_IsAccepted()
    {
        var admin = await ApiSession.Admin(factory);
        var tenantId = "t" + Guid.NewGuid().ToString("N")[..10];

        var response = await admin.PostJson("/api/v1/admin/tenants", System.Text.Json.JsonSerializer.Serialize(
            new { tenantId, name = "Zürich Ünïcode – 東京 😀", quota = new { vcpus = 1, ramMb = 1024, diskGb = 10, vms = 1 } }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task FiftyThousandUnknownFields_GetABoundedAnswer()
    {
        var (tenantId, user) = await NewTenantUser();
        var fields = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"f{i}\":1"));

        var response = await user.PostJson("/api/v1/tenant/tasks",
            $"{{\"tenantId\":\"{tenantId}\",\"action\":\"vm.create\",\"data\":{{\"name\":\"x\",{fields}}}}}");

        await ApiSession.Problem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 16 * 1024);
        await AssertNoTaskAndNoHold(user);
    }

    [Fact]
    public async Task AnOverLongUrl_IsAProblem()
    {
        var admin = await ApiSession.Admin(factory);

        var response = await admin.Http.GetAsync("/api/v1/admin/tenants?x=" + new string('a', 10_000));

        await ApiSession.Problem(response, HttpStatusCode.RequestUriTooLong, "ERR_VALIDATION");
    }

    private async Task<(string TenantId, ApiSession User)> NewTenantUser() =>
        await (await ApiSession.Admin(factory)).NewTenantWithUser(factory);

    private static async Task AssertNoTaskAndNoHold(ApiSession user)
    {
        Assert.Empty((await user.GetJson("/api/v1/tenant/tasks"))["items"]!.AsArray());
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(0, quota["used"]!["vms"]!.GetValue<int>());
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return content;
    }

}
