using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>The staging-hypervisor-agent contract of api.md over the simulated driver, status by status.</summary>
public sealed class LocalApiTests(LocalApiHost host) : IClassFixture<LocalApiHost>
{
    private readonly HttpClient _http = host.Client;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>The contract's example body, on a network of this test.</summary>
    private static object ExampleHost(string network) => new
    {
        memory = 512,
        disks = new[] { 8 },
        networks = new[] { network },
        install = true,
        location = "http://gb.archive.ubuntu.com/ubuntu/dists/xenial/main/installer-amd64",
        cmdline = "console=ttyS0 auto=true",
    };

    private async Task<string> NewNetwork()
    {
        var network = $"ns_{Suffix()}_vlan_10";
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync($"/networks/{network}", new { bridge = "br0", vlan = 10 })).StatusCode);
        return network;
    }

    [Fact]
    public async Task Host_WithTheContractsExampleBody_IsCreatedListedStartedAndDeleted()
    {
        var network = await NewNetwork();
        var name = $"ns-{Suffix()}.example.com";

        var created = await _http.PostAsJsonAsync($"/hosts/{name}", ExampleHost(network));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/hosts/{name}", created.Headers.Location?.ToString());
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["id", "name", "state"], body.Select(p => p.Key));
        Assert.Equal(("-", name, "shut off"), (body["id"]!.GetValue<string>(), body["name"]!.GetValue<string>(), body["state"]!.GetValue<string>()));
        var definition = host.Domains.Definition(name)!;
        Assert.Equal(512, definition.MemoryMb);
        Assert.Equal([8], definition.DisksGb);
        Assert.Equal([network], definition.Networks);
        Assert.Equal("http://gb.archive.ubuntu.com/ubuntu/dists/xenial/main/installer-amd64", definition.Install!.Location.AbsoluteUri);
        Assert.Equal("console=ttyS0 auto=true", definition.Install.Cmdline);

        await AssertProblem(await _http.PostAsJsonAsync($"/hosts/{name}", ExampleHost(network)), HttpStatusCode.Conflict, "ERR_CONFLICT");

        // GET /hosts is a bare array of {id, name, state}.
        var listed = JsonNode.Parse(await _http.GetStringAsync("/hosts"))!.AsArray();
        Assert.Single(listed, h => h!["name"]!.GetValue<string>() == name);
        Assert.All(listed, h => Assert.Equal(["id", "name", "state"], h!.AsObject().Select(p => p.Key)));

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"/hosts/{name}/start", null)).StatusCode);
        var started = (await _http.GetFromJsonAsync<JsonObject>($"/hosts/{name}"))!;
        Assert.Equal("running", started["state"]!.GetValue<string>());
        Assert.NotEqual("-", started["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"/hosts/{name}/start", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/hosts/{name}")).StatusCode);
        await AssertProblem(await _http.GetAsync($"/hosts/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.DeleteAsync($"/hosts/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.PutAsync($"/hosts/{name}/start", null), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task Network_WithTheContractsExampleBody_IsCreatedListedAndDeleted()
    {
        var name = $"ns_{Suffix()}_vlan_10";

        var created = await _http.PostAsJsonAsync($"/networks/{name}", new { bridge = "br0", vlan = 10 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/networks/{name}", created.Headers.Location?.ToString());
        var network = (await _http.GetFromJsonAsync<JsonObject>($"/networks/{name}"))!;
        Assert.Equal(["name", "state", "autostart", "persistent"], network.Select(p => p.Key));
        Assert.Equal("active", network["state"]!.GetValue<string>());
        Assert.Equal("yes", network["autostart"]!.GetValue<string>());
        Assert.Equal("yes", network["persistent"]!.GetValue<string>());
        await AssertProblem(await _http.PostAsJsonAsync($"/networks/{name}", new { bridge = "br0", vlan = 10 }), HttpStatusCode.Conflict, "ERR_CONFLICT");

        // GET /networks is a bare array of {name, state, autostart, persistent}.
        var listed = JsonNode.Parse(await _http.GetStringAsync("/networks"))!.AsArray();
        Assert.Single(listed, n => n!["name"]!.GetValue<string>() == name);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/networks/{name}")).StatusCode);
        await AssertProblem(await _http.GetAsync($"/networks/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await AssertProblem(await _http.DeleteAsync($"/networks/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task ATinyHostWithoutInstall_UnknownFieldsAndATrailingSlash_AreAccepted()
    {
        var network = await NewNetwork();
        var name = $"t{Suffix()}";

        // A script written for the staging agent: integers as text, its "console" flag, a trailing slash, no Content-Type.
        var body = $$"""{"memory": "64", "disks": [1, "2"], "networks": ["{{network}}", "{{network}}"], "console": true, "comment": "ignored"}""";
        var created = await _http.PostAsync($"/hosts/{name}/", new StringContent(body, Encoding.UTF8));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var definition = host.Domains.Definition(name)!;
        Assert.Equal(64, definition.MemoryMb);
        Assert.Equal([1, 2], definition.DisksGb);
        Assert.Equal(2, definition.Networks.Count);
        Assert.Null(definition.Install);
    }

    [Fact]
    public async Task InstallFalse_IgnoresLocationAndCmdline()
    {
        var network = await NewNetwork();
        var name = $"t{Suffix()}";

        var created = await _http.PostAsJsonAsync($"/hosts/{name}", new { memory = 64, disks = new[] { 1 }, networks = new[] { network }, install = false, location = "not a url", cmdline = "x" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Null(host.Domains.Definition(name)!.Install);
    }

    [Theory]
    [InlineData("/hosts/h1", "{not json", "body")]
    [InlineData("/hosts/h1", "", "body")]
    [InlineData("/hosts/h1", "[1, 2]", "body")]
    [InlineData("/hosts/h1", """{"disks": [1], "networks": []}""", "memory")]
    [InlineData("/hosts/h1", """{"memory": 64, "networks": []}""", "disks")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1]}""", "networks")]
    [InlineData("/hosts/h1", """{"memory": 0, "disks": [1], "networks": []}""", "memory")]
    [InlineData("/hosts/h1", """{"memory": 1.5, "disks": [1], "networks": []}""", "memory")]
    [InlineData("/hosts/h1", """{"memory": "512MB", "disks": [1], "networks": []}""", "memory")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [], "networks": []}""", "disks")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": 8, "networks": []}""", "disks")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [0], "networks": []}""", "disks[0]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1, -2], "networks": []}""", "disks[1]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": ["$(reboot)"]}""", "networks[0]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": ["../etc"]}""", "networks[0]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": [10]}""", "networks[0]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": ["no_such_network_here"]}""", "networks[0]")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": [], "install": true}""", "location")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": [], "install": "yes", "location": "http://x/"}""", "install")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": [], "location": "file:///etc/passwd"}""", "location")]
    [InlineData("/hosts/h1", """{"memory": 64, "disks": [1], "networks": [], "location": "http://x/", "cmdline": "a\nb"}""", "cmdline")]
    [InlineData("/hosts/Bad_Name", """{"memory": 64, "disks": [1], "networks": []}""", "host")]
    [InlineData("/hosts/x;reboot", """{"memory": 64, "disks": [1], "networks": []}""", "host")]
    [InlineData("/hosts/-rf", """{"memory": 64, "disks": [1], "networks": []}""", "host")]
    [InlineData("/hosts/a..b", """{"memory": 64, "disks": [1], "networks": []}""", "host")]
    [InlineData("/networks/n1", "{}", "bridge")]
    [InlineData("/networks/n1", """{"bridge": "br0"}""", "vlan")]
    [InlineData("/networks/n1", """{"bridge": "br0", "vlan": 4095}""", "vlan")]
    [InlineData("/networks/n1", """{"bridge": "br0", "vlan": 0}""", "vlan")]
    [InlineData("/networks/n1", """{"bridge": "a-bridge-name-too-long", "vlan": 10}""", "bridge")]
    [InlineData("/networks/n1", """{"bridge": "br0 --", "vlan": 10}""", "bridge")]
    [InlineData("/networks/_n1", """{"bridge": "br0", "vlan": 10}""", "network")]
    [InlineData("/networks/n%24%28id%29", """{"bridge": "br0", "vlan": 10}""", "network")]
    public async Task BadBodiesAndNames_Are400WithTheField_AndChangeNothing(string path, string body, string field)
    {
        var hostsBefore = await _http.GetStringAsync("/hosts");
        var networksBefore = await _http.GetStringAsync("/networks");

        var response = await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.True(problem["errors"]?[field] is not null, $"errors should name '{field}': {problem}");
        Assert.Equal(hostsBefore, await _http.GetStringAsync("/hosts"));
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
    public async Task WithoutTheToken_EveryRouteIs401_AndChangesNothing()
    {
        var name = $"n{Suffix()}";
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/hosts");
        await AssertProblem(await host.Anonymous.SendAsync(anonymous), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        using var wrong = new HttpRequestMessage(HttpMethod.Post, $"/networks/{name}") { Content = JsonContent.Create(new { bridge = "br0", vlan = 5 }) };
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");
        await AssertProblem(await host.Anonymous.SendAsync(wrong), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        await AssertProblem(await _http.GetAsync($"/networks/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task TheProjectsFormerBodyShape_IsNotARoute()
    {
        await AssertProblem(await _http.PostAsJsonAsync("/hosts", new { name = "web-1" }), HttpStatusCode.MethodNotAllowed, "ERR_VALIDATION");
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
