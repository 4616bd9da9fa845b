using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>The staging-hypervisor-agent contract of api.md, status by status.</summary>
public sealed class LocalApiTests(LocalApiHost host) : IClassFixture<LocalApiHost>
{
    private readonly HttpClient _http = host.Client;

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Vm_CreateGetStartDelete_FollowTheContract()
    {
        var name = Name("vm");

        var created = await _http.PostAsJsonAsync("/hosts", new { name, cpu = 1, ramMb = 256, diskGb = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/hosts/{name}", created.Headers.Location?.ToString());
        Assert.Equal("running", (await created.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());

        var again = await _http.PostAsJsonAsync("/hosts", new { name });
        await AssertProblem(again, HttpStatusCode.Conflict, "ERR_CONFLICT");

        var listed = await _http.GetFromJsonAsync<JsonObject>("/hosts");
        Assert.Single(listed!["items"]!.AsArray(), v => v!["name"]!.GetValue<string>() == name);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"/hosts/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"/hosts/{name}/start", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/hosts/{name}")).StatusCode);
        await AssertProblem(await _http.GetAsync($"/hosts/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.DeleteAsync($"/hosts/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.PutAsync($"/hosts/{name}/start", null), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task Network_CreateGetDelete_FollowTheContract()
    {
        var name = Name("net");

        var created = await _http.PostAsJsonAsync("/networks", new { name, bridge = "br-test", vlan = 100 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var network = await _http.GetFromJsonAsync<JsonObject>($"/networks/{name}");
        Assert.Equal(100, network!["vlan"]!.GetValue<int>());
        Assert.Equal("br-test", network["bridge"]!.GetValue<string>());
        await AssertProblem(await _http.PostAsJsonAsync("/networks", new { name, bridge = "br-test", vlan = 100 }), HttpStatusCode.Conflict, "ERR_CONFLICT");
        Assert.Contains((await _http.GetFromJsonAsync<JsonObject>("/networks"))!["items"]!.AsArray(), n => n!["name"]!.GetValue<string>() == name);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/networks/{name}")).StatusCode);
        await AssertProblem(await _http.GetAsync($"/networks/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.DeleteAsync($"/networks/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Theory]
    [InlineData("/hosts", "{not json", "body")]
    [InlineData("/hosts", "[1, 2]", "body")]
    [InlineData("/hosts", "{}", "name")]
    [InlineData("/hosts", """{"name": "Bad_Name"}""", "name")]
    [InlineData("/hosts", """{"name": "x; rm -rf /"}""", "name")]
    [InlineData("/hosts", """{"name": "ok-name", "cpu": -1}""", "cpu")]
    [InlineData("/hosts", """{"name": "ok-name", "cpu": "two"}""", "cpu")]
    [InlineData("/hosts", """{"name": "ok-name", "imageId": "../../etc/passwd"}""", "imageId")]
    [InlineData("/hosts", """{"name": "ok-name", "network": "$(reboot)"}""", "network")]
    [InlineData("/hosts", """{"name": "ok-name", "surprise": 1}""", "surprise")]
    [InlineData("/networks", "{}", "name")]
    [InlineData("/networks", """{"name": "n1", "bridge": "br-test"}""", "vlan")]
    [InlineData("/networks", """{"name": "n1", "bridge": "br-test", "vlan": 4095}""", "vlan")]
    [InlineData("/networks", """{"name": "n1", "bridge": "a-bridge-name-too-long", "vlan": 10}""", "bridge")]
    [InlineData("/networks", """{"name": "n1", "bridge": "br0 --", "vlan": 10}""", "bridge")]
    public async Task BadBodies_Are400WithTheField_AndChangeNothing(string path, string body, string field)
    {
        var vmsBefore = await _http.GetStringAsync("/hosts");
        var networksBefore = await _http.GetStringAsync("/networks");

        var response = await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.True(problem["errors"]?[field] is not null, $"errors should name '{field}': {problem}");
        Assert.Equal(vmsBefore, await _http.GetStringAsync("/hosts"));
        Assert.Equal(networksBefore, await _http.GetStringAsync("/networks"));
    }

    [Theory]
    [InlineData("/hosts/Bad_Name")]
    [InlineData("/hosts/..")]
    [InlineData("/networks/x%3Brm")]
    public async Task BadNamesInThePath_AreNotFound(string path)
    {
        await AssertProblem(await _http.GetAsync(path), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.DeleteAsync(path), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task WithoutTheToken_EveryRouteIs401()
    {
        await AssertProblem(await host.Anonymous.GetAsync("/hosts"), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        host.Anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");
        await AssertProblem(await host.Anonymous.PostAsJsonAsync("/networks", new { name = "n2", bridge = "br-x", vlan = 5 }), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        Assert.DoesNotContain((await _http.GetFromJsonAsync<JsonObject>("/networks"))!["items"]!.AsArray(), n => n!["name"]!.GetValue<string>() == "n2");
    }

    private static async Task<JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        return problem;
    }
}
