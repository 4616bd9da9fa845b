using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansCloud.Cluster.Tests;

/// <summary>A signed-in client of the API process.</summary>
public sealed class Session(HttpClient http)
{
    public const string UserPassword = "correct-horse-battery";

    public HttpClient Http { get; } = http;

    public static async Task<Session> SignIn(Uri api, string user, string password)
    {
        var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { username = user, password });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"sign-in of {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Session(http);
    }

    public async Task<(string TenantId, string Username)> NewTenantWithUser(int vcpus = 8, long ramMb = 16384, long diskGb = 200, int vms = 10)
    {
        // vm.create's default image must be in the catalogue, which a production cluster starts without.
        var image = await Http.PostAsJsonAsync("/api/v1/admin/images", new { imageId = "debian-12-genericcloud", os = "Debian 12" });
        Assert.True(image.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"image: {(int)image.StatusCode}");
        var tenantId = "t" + Guid.NewGuid().ToString("N")[..10];
        var tenant = await Http.PostAsJsonAsync("/api/v1/admin/tenants",
            new { tenantId, name = "Test " + tenantId, quota = new { vcpus, ramMb, diskGb, vms } });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var user = await Http.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username,
            password = UserPassword,
            memberships = new[] { new { tenantId, permissions = new[] { "vm.add", "vm.edit", "vm.delete" } } },
        });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        return (tenantId, username);
    }

    public Task<HttpResponseMessage> CreateVm(string tenantId, string name, int cpu = 1, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenant/tasks")
        {
            Content = JsonContent.Create(new { tenantId, action = "vm.create", data = new { name, cpu, ram = "1GB", disk = "10GB" } }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    public async Task<string> Accepted(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetJson(string path)
    {
        var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Polls a task (riding out 503s while the cluster heals) until it is final.</summary>
    public async Task<JsonObject> FinalTask(string taskId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var task = await GetJson($"/api/v1/tenant/tasks/{taskId}");
                last = task["status"]!.GetValue<string>();
                if (last is "succeeded" or "failed" or "rolledBack" or "cancelled")
                {
                    return task;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"task {taskId} not final after {limit}: {last}");
    }
}
