using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.HostAgent.LocalApi;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>The agent's local API over the simulated driver, through the real ASP.NET pipeline (in memory).</summary>
public sealed class LocalApiHost : IAsyncLifetime
{
    public const string Token = "local-api-test-token-0123456789";

    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public SimulatedDomains Domains => (SimulatedDomains)_app!.Services.GetRequiredKeyedService<IDomainDriver>(SimulatedDriver.DriverName);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HostAgent:Simulated:Count"] = "1",
            ["HostAgent:Simulated:Latency"] = "00:00:00",
            ["HostAgent:LocalApi:Token"] = Token,
        });
        builder.Services.AddHostAgentDrivers(builder.Configuration);
        builder.Services.AddHostAgentLocalApi(builder.Configuration);
        _app = builder.Build();
        _app.MapHostAgentLocalApi();
        await _app.StartAsync();
        Client = _app.GetTestClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Anonymous = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
