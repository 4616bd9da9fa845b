using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansCloud.Hosting;
using Orleans.Configuration;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// The production topology on loopback, as separate processes: PostgreSQL, two control-plane silos,
/// a host agent with simulated hosts and the API. Every process can be killed and started again.
/// </summary>
public sealed class ProductionCluster : IAsyncLifetime
{
    public const string AdminUser = "admin";

    /// <summary>Long enough to kill a silo while a host operation is in flight.</summary>
    public static readonly TimeSpan HostLatency = TimeSpan.FromSeconds(3);

    private readonly string _database = "oc_cluster_" + RandomNumberGenerator.GetHexString(8).ToLowerInvariant();
    private readonly string _adminPassword = RandomNumberGenerator.GetHexString(20);
    private readonly string _jwtKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private IHost? _client;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Where each process's output is kept: the system temp directory, per cluster.</summary>
    public string LogDirectory => Path.Combine(Path.GetTempPath(), "orleanscloud-tests", ClusterId);

    public string ClusterId { get; } = "oc-test-" + RandomNumberGenerator.GetHexString(6).ToLowerInvariant();

    public ChildProcess SiloA { get; private set; } = null!;

    public ChildProcess SiloB { get; private set; } = null!;

    public ChildProcess Agent { get; private set; } = null!;

    public ChildProcess Api { get; private set; } = null!;

    public Uri ApiUrl { get; private set; } = null!;

    public IEnumerable<ChildProcess> Processes => [SiloA, SiloB, Agent, Api];

    /// <summary>An Orleans client of the cluster, for what HTTP does not show (which silo holds a grain).</summary>
    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>The cluster's development CA and certificates (deploy/certs.sh): every process speaks mutual TLS.</summary>
    public string CertificateDirectory => Path.Combine(LogDirectory, "certs");

    public string CertificatePassword => File.ReadAllText(Path.Combine(CertificateDirectory, "password")).Trim();

    public async Task InitializeAsync()
    {
        ConnectionString = Postgres.CreateDatabase(_database);
        Certificates.Make(CertificateDirectory, "silo", "agent", "api", "client");
        var common = new Dictionary<string, string>
        {
            ["Orleans__Tls__CaPath"] = Path.Combine(CertificateDirectory, "ca.pem"),
            ["Orleans__Tls__CertificatePassword"] = CertificatePassword,
            ["Orleans__Storage"] = "Postgres",
            ["Orleans__ConnectionString"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ClusterId,
            ["Orleans__Membership__ProbeTimeout"] = "00:00:02",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Orleans__Membership__TableRefreshTimeout"] = "00:00:05",
            ["Tasks__WatchdogPeriod"] = "00:00:03",
            ["Tasks__RetryBackoff"] = "00:00:00.200",
            ["Reconciliation__OrphanGrace"] = "00:00:15",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__OrleansCloud"] = "Information",
            ["DOTNET_gcServer"] = "0",
        };

        SiloA = new ChildProcess("silo-a", Repo.Dll("Silo"), With(common, SiloSettings(CertificateFor("silo"))), LogDirectory);
        SiloB = new ChildProcess("silo-b", Repo.Dll("Silo"), With(common, SiloSettings(CertificateFor("silo"))), LogDirectory);
        Agent = new ChildProcess("agent", Repo.Dll("HostAgent"), With(common, new()
        {
            ["Orleans__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = "0",
            ["Orleans__Tls__CertificatePath"] = CertificateFor("agent"),
            ["HostAgent__HeartbeatInterval"] = "00:00:01",
            ["HostAgent__LocalApi__Urls"] = $"http://127.0.0.1:{FreePort()}",
            ["HostAgent__Simulated__Count"] = "3",
            // Room for every test of the collection together (the fault suite alone runs up to 40 one-vCPU VMs).
            ["HostAgent__Simulated__Vcpus"] = "64",
            ["HostAgent__Simulated__Latency"] = HostLatency.ToString(),
            ["HostAgent__Simulated__StatePath"] = Path.Combine(LogDirectory, "simulated-hosts.json"),
            ["HostAgent__ReconcileInterval"] = "00:00:05",
        }), LogDirectory);
        var apiPort = FreePort();
        ApiUrl = new Uri($"http://127.0.0.1:{apiPort}");
        Api = new ChildProcess("api", Repo.Dll("Api"), With(common, new()
        {
            ["OC_ADMIN_USER"] = AdminUser,
            ["OC_ADMIN_PASSWORD"] = _adminPassword,
            ["OC_JWT_KEY"] = _jwtKey,
            ["Orleans__Tls__CertificatePath"] = CertificateFor("api"),
            ["urls"] = ApiUrl.ToString(),
        }), LogDirectory);

        SiloA.Start();
        await WaitForHealth(SiloA);
        SiloB.Start();
        Agent.Start();
        Api.Start();
        await WaitUntilReady();

        _client = ClientHost(CertificateFor("client"), Path.Combine(CertificateDirectory, "ca.pem"), CertificatePassword);
        await _client.StartAsync();
    }

    public string CertificateFor(string name) => Path.Combine(CertificateDirectory, name + ".pfx");

    /// <summary>An Orleans client of this cluster presenting the given certificate (none: plain TCP).</summary>
    public IHost ClientHost(string? certificatePath, string? caPath, string? password) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", ConnectionString));
                client.UseClusterTls(new OrleansCloud.Hosting.ClusterSettings
                {
                    Tls = new() { CertificatePath = certificatePath, CaPath = caPath, CertificatePassword = password },
                });
            })
            .Build();

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            _client.Dispose();
        }

        foreach (var process in Processes.Where(p => p is not null))
        {
            process.Dispose();
        }

        Postgres.DropDatabase(_database);
    }

    /// <summary>Everything answers: the API's health, the admin login, three hosts up.</summary>
    public async Task WaitUntilReady(TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var admin = await Admin();
                var hosts = await admin.GetJson("/api/v1/admin/hosts");
                if (hosts["items"]!.AsArray().Count(h => h!["state"]!.GetValue<string>() == "up") == 3)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or Xunit.Sdk.XunitException)
            {
                last = ex;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"cluster not ready: {last?.Message}\n{string.Join("\n\n", Processes.Select(p => $"[{p.Name}]\n{p.Tail(15)}"))}");
    }

    public Task<Session> Admin() => Session.SignIn(ApiUrl, AdminUser, _adminPassword);

    /// <summary>The control-plane process listening on a silo port.</summary>
    public ChildProcess SiloAt(int siloPort) =>
        new[] { SiloA, SiloB }.Single(s => s.Environment["Orleans__SiloPort"] == siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void StopAll()
    {
        foreach (var process in Processes)
        {
            process.Stop();
        }
    }

    /// <summary>Starts the stopped processes again, control plane first, with the same settings.</summary>
    public async Task RestartAll()
    {
        var replaced = Processes.Select(p => new ChildProcess(p.Name, p.Dll, p.Environment, p.LogDirectory)).ToList();
        foreach (var old in Processes)
        {
            old.Dispose();
        }

        (SiloA, SiloB, Agent, Api) = (replaced[0], replaced[1], replaced[2], replaced[3]);
        SiloA.Start();
        await WaitForHealth(SiloA);
        SiloB.Start();
        Agent.Start();
        Api.Start();
        await WaitUntilReady();
    }

    /// <summary>A killed process comes back as a new process (for a silo, a new generation) with the same settings and ports.</summary>
    public ChildProcess Replace(ChildProcess dead)
    {
        var fresh = new ChildProcess(dead.Name, dead.Dll, dead.Environment, dead.LogDirectory);
        if (dead == SiloA)
        {
            SiloA = fresh;
        }
        else if (dead == SiloB)
        {
            SiloB = fresh;
        }
        else if (dead == Agent)
        {
            Agent = fresh;
        }
        else if (dead == Api)
        {
            Api = fresh;
        }

        dead.Dispose();
        fresh.Start();
        return fresh;
    }

    private static Dictionary<string, string> SiloSettings(string certificatePath) => new()
    {
        ["Orleans__Tls__CertificatePath"] = certificatePath,
        ["Silo__Role"] = "ControlPlane",
        ["Orleans__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["urls"] = $"http://127.0.0.1:{FreePort()}",
    };

    private static async Task WaitForHealth(ChildProcess silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri(new Uri(silo.Environment["urls"]), "/healthz");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (!silo.IsRunning)
            {
                break;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{silo.Name} did not become healthy:\n{silo.Tail()}");
    }

    private static Dictionary<string, string> With(Dictionary<string, string> common, Dictionary<string, string> own) =>
        common.Concat(own).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionClusterCollection : ICollectionFixture<ProductionCluster>
{
    public const string Name = "production cluster";
}
