using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansCloud.Hosting;
using OrleansCloud.Silo;

namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>
/// A control-plane silo and the API as an Orleans client of it, as in production but in one test process:
/// two Orleans runtimes that talk over loopback TCP, so what the silo raises crosses the wire (and its
/// serializer) exactly as it would between processes. The API is built as its Program builds it.
/// </summary>
public sealed class SeparateApi : IAsyncLifetime
{
    public const string AdminUser = "root";
    public const string AdminPassword = "test-admin-password";

    /// <summary>Short, so the tests of the bound do not wait long; production's default is 5 s.</summary>
    public static readonly TimeSpan ClusterCallTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The API's <c>Api:ClusterCallTimeout</c>: <see cref="ClusterCallTimeout"/> unless a test needs another.</summary>
    public TimeSpan CallTimeout { get; init; } = ClusterCallTimeout;

    private readonly string _clusterId = "api-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();
    private IHost? _silo;
    private WebApplication? _api;

    public FaultInjection Faults { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The API's own Orleans client: what a grain call raises there is what the API has to decode.</summary>
    public IClusterClient Client => _api!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        await StartSilo();
        await StartApi();
        await WaitUntilConnected(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for <c>/readyz</c>; answers how long that took.</summary>
    public async Task<TimeSpan> WaitUntilConnected(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < limit, $"the API did not connect to the cluster within {limit}");
            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    /// <summary>The silo, on the gateway port the API was built with (tests may start the API first).</summary>
    public async Task StartSilo()
    {
        var settings = Settings();
        _silo = Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }))
            .UseOrleans((context, silo) =>
            {
                silo.AddControlPlaneSilo(context.Configuration, settings, SiloRole.ControlPlane);
                silo.AddIncomingGrainCallFilter(Faults);
            })
            .Build();
        await _silo.StartAsync();
    }

    /// <summary>Starts the API; it serves at once, whether or not the silo is up.</summary>
    public async Task StartApi()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OC_ADMIN_USER"] = AdminUser,
            ["OC_ADMIN_PASSWORD"] = AdminPassword,
            ["OC_JWT_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Api:ClusterCallTimeout"] = CallTimeout.ToString(),
            ["Api:RetryAfter"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics"] = "None",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddOrleansCloudClusterClient(Settings());
        builder.AddOrleansCloudApi();
        _api = builder.Build();
        _api.MapOrleansCloudApi();

        // The start completes once the client has connected; Kestrel serves before that.
        _ = _api.StartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!_api.Urls.Any(u => !u.EndsWith(":0", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the API did not start listening");
            await Task.Delay(20);
        }

        Http = new HttpClient { BaseAddress = new Uri(_api.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<HttpClient> Admin()
    {
        var http = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.PostAsync("/api/v1/auth/token", new StringContent(
            $$"""{"username":"{{AdminUser}}","password":"{{AdminPassword}}"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task DisposeAsync()
    {
        Faults.Clear();
        Http?.Dispose();
        if (_api is not null)
        {
            await _api.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            await _api.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            _silo.Dispose();
        }
    }

    private ClusterSettings Settings() => new()
    {
        ClusterId = _clusterId,
        ServiceId = _clusterId,
        SiloPort = _siloPort,
        GatewayPort = _gatewayPort,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
