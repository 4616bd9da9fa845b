using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using OrleansCloud.HostAgent.LocalApi;
using OrleansCloud.HostAgent.Tests.Support;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>The agent's local API in front of the real libvirtd and Open vSwitch of this machine.</summary>
[Collection(HypervisorCollection.Name)]
public sealed class LocalApiOnLibvirtTests(Hypervisor hypervisor) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private WebApplication? _app;
    private HttpClient _http = null!;

    private string Vm => $"oct-api-{_suffix}";

    private string Network => $"oct-apinet-{_suffix}";

    private string Bridge => $"octab{_suffix}";

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
        await hypervisor.CleanUp(Vm, Network, Bridge);
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task NetworkThenVm_ThroughTheAgent_RunOnATaggedPort_AndGoAwayWhenDeleted()
    {
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync("/networks", new { name = Network, bridge = Bridge, vlan = 300 })).StatusCode);
        var vm = await _http.PostAsJsonAsync("/hosts", new { name = Vm, cpu = 1, ramMb = 128, diskGb = 1, network = Network });
        Assert.True(vm.StatusCode == HttpStatusCode.Created, await vm.Content.ReadAsStringAsync());

        Assert.Contains(Vm, await hypervisor.Virsh("list", "--name"));
        Assert.Equal(300, await hypervisor.Networks.PortTagAsync(Vm, default));

        // Asking again changes nothing: 409, and still one domain and one network.
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync("/networks", new { name = Network, bridge = Bridge, vlan = 300 })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync("/hosts", new { name = Vm, cpu = 1, ramMb = 128, diskGb = 1, network = Network })).StatusCode);
        Assert.Single(await hypervisor.Virsh("list", "--all", "--name"), n => n == Vm);
        Assert.Single(await hypervisor.Virsh("net-list", "--all", "--name"), n => n == Network);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"/hosts/{Vm}/start", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/hosts/{Vm}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/networks/{Network}")).StatusCode);
        Assert.DoesNotContain(Vm, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.DoesNotContain(Network, await hypervisor.Virsh("net-list", "--all", "--name"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/hosts/{Vm}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/networks/{Network}")).StatusCode);
    }
}
