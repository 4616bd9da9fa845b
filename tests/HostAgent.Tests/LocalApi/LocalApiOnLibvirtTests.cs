using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using OrleansCloud.HostAgent.LocalApi;
using OrleansCloud.HostAgent.Tests.Support;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>
/// Every route of the staging-hypervisor-agent contract, with the contract's example bodies, against the
/// real libvirtd and Open vSwitch of this machine.
/// </summary>
[Collection(HypervisorCollection.Name)]
public sealed class LocalApiOnLibvirtTests(Hypervisor hypervisor) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private WebApplication? _app;
    private HttpClient _http = null!;

    /// <summary>Names as real deployments spell them: a fully qualified host, a network with underscores.</summary>
    private string Host => $"ns-{_suffix}.example.com";

    private string Installed => $"install-{_suffix}.example.com";

    private string Network => $"ns_{_suffix}_vlan_10";

    private string Bridge => $"octlb{_suffix}";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HostAgent:Simulated:Count"] = "0",
            ["HostAgent:Hosts:0:Name"] = "kvm-local",
            ["HostAgent:Hosts:0:Driver"] = "libvirt",
            ["Libvirt:StorageDir"] = Hypervisor.StorageDir,
            ["Libvirt:ImagesDir"] = Path.Combine(Hypervisor.StorageDir, "images"),
            ["Libvirt:StoragePool"] = "oct-test-disks",
            ["HostAgent:LocalApi:Token"] = LocalApiHost.Token,
        });
        builder.Services.AddHostAgentDrivers(builder.Configuration);
        builder.Services.AddHostAgentLocalApi(builder.Configuration);
        _app = builder.Build();
        _app.MapHostAgentLocalApi();
        await _app.StartAsync();
        _http = _app.GetTestClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalApiHost.Token);
    }

    public async Task DisposeAsync()
    {
        await hypervisor.CleanUp(Host);
        await hypervisor.CleanUp(Installed, Network, Bridge);
        foreach (var file in Directory.EnumerateFiles(Hypervisor.StorageDir).Where(f => Path.GetFileName(f).StartsWith(Host + ".", StringComparison.Ordinal)
            || Path.GetFileName(f).StartsWith(Installed + ".", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryRoute_OnRealLibvirtAndOpenVSwitch_FollowsTheContract()
    {
        // POST /networks/{network}: a persistent libvirt network on a netdev Open vSwitch bridge with VLAN 10.
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync($"/networks/{Network}", new { bridge = Bridge, vlan = 10 })).StatusCode);
        Assert.Contains(Network, await hypervisor.Virsh("net-list", "--all", "--name"));
        Assert.Equal("netdev", await hypervisor.Ovs("get", "bridge", Bridge, "datapath_type"));
        var network = (await _http.GetFromJsonAsync<JsonObject>($"/networks/{Network}"))!;
        Assert.Equal(("active", "yes", "yes"), (network["state"]!.GetValue<string>(), network["autostart"]!.GetValue<string>(), network["persistent"]!.GetValue<string>()));
        Assert.Contains(JsonNode.Parse(await _http.GetStringAsync("/networks"))!.AsArray(), n => n!["name"]!.GetValue<string>() == Network);

        // POST /hosts/{host}: the contract's example without its install, at the smallest size: 64 MB, one 1 GB disk, one interface.
        var created = await _http.PostAsJsonAsync($"/hosts/{Host}", new { memory = 64, disks = new[] { 1 }, networks = new[] { Network } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Contains(Host, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.Equal("shut off", (await _http.GetFromJsonAsync<JsonObject>($"/hosts/{Host}"))!["state"]!.GetValue<string>());
        var disk = Path.Combine(Hypervisor.StorageDir, $"{Host}.0.qcow2");
        Assert.True(File.Exists(disk));
        var domain = XDocument.Parse(string.Join('\n', await hypervisor.Virsh("dumpxml", Host))).Root!;
        Assert.Equal("65536", domain.Element("memory")!.Value);
        Assert.Equal(disk, domain.Descendants("disk").Single().Element("source")!.Attribute("file")!.Value);
        Assert.Equal(Network, domain.Descendants("interface").Single().Element("source")!.Attribute("network")!.Value);

        // PUT /hosts/{host}/start: it runs, on an OVS port tagged with VLAN 10.
        var started = await _http.PutAsync($"/hosts/{Host}/start", null);
        Assert.True(started.StatusCode == HttpStatusCode.NoContent, await started.Content.ReadAsStringAsync());
        Assert.Contains(Host, await hypervisor.Virsh("list", "--name"));
        Assert.Equal(10, await hypervisor.Networks.PortTagAsync(Host, default));
        var running = (await _http.GetFromJsonAsync<JsonObject>($"/hosts/{Host}"))!;
        Assert.Equal("running", running["state"]!.GetValue<string>());
        Assert.True(int.TryParse(running["id"]!.GetValue<string>(), out _), running.ToJsonString());
        Assert.Contains(JsonNode.Parse(await _http.GetStringAsync("/hosts"))!.AsArray(), h => h!["name"]!.GetValue<string>() == Host);

        // Every repeat is 409 and changes nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"/networks/{Network}", new { bridge = Bridge, vlan = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"/hosts/{Host}", new { memory = 64, disks = new[] { 1 }, networks = new[] { Network } })).StatusCode);
        Assert.Single(await hypervisor.Virsh("list", "--all", "--name"), n => n == Host);
        Assert.Single(await hypervisor.Virsh("net-list", "--all", "--name"), n => n == Network);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"/hosts/{Host}/start", null)).StatusCode);

        // DELETE: 204 (the domain and its disk), then 404.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/hosts/{Host}")).StatusCode);
        Assert.DoesNotContain(Host, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.False(File.Exists(disk));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/hosts/{Host}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/hosts/{Host}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsync($"/hosts/{Host}/start", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/networks/{Network}")).StatusCode);
        Assert.DoesNotContain(Network, await hypervisor.Virsh("net-list", "--all", "--name"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/networks/{Network}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/networks/{Network}")).StatusCode);
    }

    [Fact]
    public async Task ANetworkInstall_DefinesTheDomainWithTheTreesKernelInitrdAndCmdline()
    {
        await using var tree = await InstallTreeServer.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync($"/networks/{Network}", new { bridge = Bridge, vlan = 10 })).StatusCode);

        // The contract's example body, with the install tree served on loopback by this test.
        var created = await _http.PostAsJsonAsync($"/hosts/{Installed}", new
        {
            memory = 512,
            disks = new[] { 8 },
            networks = new[] { Network },
            install = true,
            location = tree.Location.AbsoluteUri,
            cmdline = "console=ttyS0 auto=true priority=critical",
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var domain = XDocument.Parse(string.Join('\n', await hypervisor.Virsh("dumpxml", "--inactive", Installed))).Root!;
        var os = domain.Element("os")!;
        var kernel = os.Element("kernel")!.Value;
        var initrd = os.Element("initrd")!.Value;
        Assert.Equal("console=ttyS0 auto=true priority=critical", os.Element("cmdline")!.Value);
        Assert.Equal(InstallTreeServer.Kernel, await File.ReadAllBytesAsync(kernel));
        Assert.Equal(InstallTreeServer.Initrd, await File.ReadAllBytesAsync(initrd));
        Assert.Equal("destroy", domain.Element("on_reboot")!.Value);
        Assert.Equal("524288", domain.Element("memory")!.Value);
        Assert.Equal(Network, domain.Descendants("interface").Single().Element("source")!.Attribute("network")!.Value);

        // Defined, not started: the installer boots on PUT /hosts/{host}/start.
        Assert.Equal("shut off", (await _http.GetFromJsonAsync<JsonObject>($"/hosts/{Installed}"))!["state"]!.GetValue<string>());
        await AssertConflict(tree.Location);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/hosts/{Installed}")).StatusCode);
        Assert.False(File.Exists(kernel));
        Assert.False(File.Exists(initrd));
        Assert.False(File.Exists(Path.Combine(Hypervisor.StorageDir, $"{Installed}.0.qcow2")));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/hosts/{Installed}")).StatusCode);
    }

    [Fact]
    public async Task AnInstallTreeWithoutAKernel_Is400OnLocation_AndLeavesNothing()
    {
        await using var tree = await InstallTreeServer.StartAsync();

        var created = await _http.PostAsJsonAsync($"/hosts/{Installed}", new
        {
            memory = 64,
            disks = new[] { 1 },
            networks = Array.Empty<string>(),
            location = new Uri(tree.Location, "/no/tree/here").AbsoluteUri,
        });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.NotNull(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["errors"]!["location"]);
        Assert.True(tree.Requests > 0);
        Assert.DoesNotContain(Installed, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.Empty(Directory.EnumerateFiles(Hypervisor.StorageDir, Installed + ".*"));
    }

    private async Task AssertConflict(Uri location)
    {
        var again = await _http.PostAsJsonAsync($"/hosts/{Installed}", new { memory = 512, disks = new[] { 8 }, networks = new[] { Network }, install = true, location = location.AbsoluteUri });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
