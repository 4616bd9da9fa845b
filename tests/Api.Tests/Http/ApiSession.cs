using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansCloud.Api.Tests.Http;

/// <summary>A signed-in HTTP client with the few calls the tests repeat.</summary>
public sealed class ApiSession(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static async Task<ApiSession> SignIn(AllInOneFactory factory, string user, string password)
    {
        var http = factory.CreateClient();
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { username = user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiSession(http);
    }

    public static Task<ApiSession> Admin(AllInOneFactory factory) =>
        SignIn(factory, AllInOneFactory.AdminUser, AllInOneFactory.AdminPassword);

    /// <summary>Creates a tenant with the quota and a user with every permission in it, and signs that user in.</summary>
    public async Task<(string TenantId, ApiSession User)> NewTenantWithUser(AllInOneFactory factory, int vcpus = 8, long ramMb = 16384, long diskGb = 200, int vms = 10)
    {
        var tenantId = "t" + Guid.NewGuid().ToString("N")[..10];
        var tenant = await Http.PostAsJsonAsync("/api/v1/admin/tenants",
            new { tenantId, name = "Test " + tenantId, quota = new { vcpus, ramMb, diskGb, vms } });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var user = await Http.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username,
            password = "correct-horse-battery",
            memberships = new[]
            {
                new
                {
                    tenantId,
                    permissions = new[] { "vm.add", "vm.edit", "vm.delete", "network.add", "network.edit", "network.delete", "user.add", "user.edit", "user.delete" },
                },
            },
        });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        return (tenantId, await SignIn(factory, username, "correct-horse-battery"));
    }

    public Task<HttpResponseMessage> PostJson(string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostTask(object envelope, string scope = "tenant", string? idempotencyKey = null) =>
        PostJson($"/api/v1/{scope}/tasks", JsonSerializer.Serialize(envelope), idempotencyKey);

    public async Task<JsonObject> GetJson(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Polls the task until its status is final.</summary>
    public async Task<JsonObject> FinalTask(string taskId, string scope = "tenant")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var task = await GetJson($"/api/v1/{scope}/tasks/{taskId}");
            var status = task["status"]!.GetValue<string>();
            if (status is "succeeded" or "failed" or "rolledBack" or "cancelled")
            {
                return task;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"task {taskId} still {status}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(code, problem["code"]?.GetValue<string>());
        return problem;
    }
}
