using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansCloud.Common;
using OrleansCloud.HostAgent;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// In-process silos (one unless a variant says otherwise) with the control-plane grains; the first also
/// runs a host agent announcing simulated hosts.
/// The grains read a fake clock (holds, heartbeat age); Orleans itself keeps real time.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["HostAgent:HeartbeatInterval"] = "00:00:00.500",
        ["HostAgent:Simulated:Count"] = "4",
        ["HostAgent:Simulated:Vcpus"] = "8",
        ["HostAgent:Simulated:RamMb"] = "16384",
        ["HostAgent:Simulated:DiskGb"] = "500",
        ["HostAgent:Simulated:MaxVms"] = "50",
        ["HostAgent:Simulated:Latency"] = "00:00:00.010",
        ["Tasks:RetryBackoff"] = "00:00:00.020",
        ["Tasks:WatchdogPeriod"] = "00:00:02",
        // The control-plane clock is fake here: a retry window would never close. Variants that test it set one.
        ["Tasks:RetryWindow"] = "00:00:00",
        ["Placement:MaxHeartbeatAge"] = "00:10:00",
        // Reconciliation passes are driven by the tests that need them (ReconciliationTests).
        ["HostAgent:ReconcileInterval"] = "00:00:00",
    };

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>What a variant of the cluster changes in <see cref="Settings"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>();

    /// <summary>How many hosts report before the cluster is ready: the four simulated ones, unless a variant adds its own.</summary>
    protected virtual int ExpectedHosts => 4;

    /// <summary>How many control-plane silos the cluster runs; only the first runs the host agent.</summary>
    protected virtual int SiloCount => 1;

    /// <summary>What a variant of the cluster adds to the silo, after everything else.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)SiloCount);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((options, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).AddInMemoryCollection(Overrides).Build();
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.Services.AddKeyedSingleton<TimeProvider>(ControlPlaneClock.Key, Clock);
            silo.AddOrleansCloudGrains(configuration);
            if (options.SiloName == "Silo_0")
            {
                silo.AddHostAgent(configuration);
            }
            else
            {
                silo.AddHostAgentPlacement([]);
            }

            ConfigureSilo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Eventually.True(async () =>
            (await Client.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Count(h => h.State == HostState.Up) == ExpectedHosts,
            "the hosts report");
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
