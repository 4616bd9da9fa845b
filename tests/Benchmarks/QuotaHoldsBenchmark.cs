using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Providers;
using OrleansCloud.HostAgent.Hosting.Storage;
using Orleans.TestingHost;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.Hosting;
using OrleansCloud.Tenants;

namespace OrleansCloud.Benchmarks;

/// <summary>
/// Quota holds on <c>TenantGrain</c> with its state on PostgreSQL (each hold is a durable write before
/// it answers): 16 tenants whose limit admits 1,000 one-vCPU holds each are sent 1,250 each, 64 in
/// flight, so a fifth must be refused. Prints holds decided per second, the latency, and how many
/// holds went past a limit (must be 0). deploy/bench-http.sh prints PostgreSQL's own guarded-update
/// rate beside it.
/// </summary>
public static class QuotaHoldsBenchmark
{
    private const int Tenants = 16;
    private const int Limit = 1000;
    private const int Asked = 1250;
    private const int Concurrency = 64;

    public static async Task Run(string connectionString)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            // The silo's own PostgreSQL grain storage, as in the PostgreSQL topology.
            silo.AddPostgresGrainStorage(ClusterSettings.WithPoolingDefaults(connectionString)!, null, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            silo.UseInMemoryReminderService();
            silo.AddOrleansCloudGrains(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var grains = cluster.Client;

        var run = Guid.NewGuid().ToString("N")[..6];
        var tenants = Enumerable.Range(0, Tenants).Select(i => $"holds-{run}-{i}").ToList();
        var warm = tenants.Select(t => t + "-warm").ToList();
        await CreateTenants(grains, [.. tenants, .. warm]);

        // A short warm-up on tenants of its own (activation, pools, JIT), not counted.
        await Holds(grains, warm, 200);

        var latencies = new List<double>(Tenants * Asked);
        var clock = Stopwatch.StartNew();
        var granted = await Holds(grains, tenants, Tenants * Asked, latencies);
        var elapsed = clock.Elapsed;

        var overcommitted = 0;
        foreach (var tenant in tenants)
        {
            var quota = (await grains.GetGrain<ITenantGrain>(tenant).GetQuota()).Value!;
            overcommitted += (int)Math.Max(0, quota.Held.Vcpus + quota.Used.Vcpus - Limit);
        }

        latencies.Sort();
        double At(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        Console.WriteLine($"quota holds on PostgreSQL: {Tenants} tenants x {Asked} holds (limit {Limit}), {Concurrency} in flight, 1 silo");
        Console.WriteLine($"  {Tenants * Asked} holds decided in {elapsed.TotalSeconds:F2} s  => {Tenants * Asked / elapsed.TotalSeconds:F0} holds/s ({granted} granted, {Tenants * Asked - granted} refused)");
        Console.WriteLine($"  latency p50 {At(0.5):F1} ms  p99 {At(0.99):F1} ms  max {latencies[^1]:F1} ms");
        Console.WriteLine($"  holds past a limit: {overcommitted}");
        Console.WriteLine($"RESULT holds_per_s={Tenants * Asked / elapsed.TotalSeconds:F0} p99_ms={At(0.99):F1} overcommitted={overcommitted} granted={granted}");
    }

    private static async Task CreateTenants(IClusterClient grains, List<string> tenants)
    {
        foreach (var tenant in tenants)
        {
            await grains.GetGrain<ITenantGrain>(tenant).Create(tenant, new ResourceAmount(Limit, 1_000_000_000, 1_000_000_000, 1_000_000_000));
        }
    }

    private static async Task<int> Holds(IClusterClient grains, List<string> tenants, int count, List<double>? latencies = null)
    {
        var next = -1;
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var tenant = tenants[n % tenants.Count];
                var watch = Stopwatch.StartNew();
                var hold = await grains.GetGrain<ITenantGrain>(tenant)
                    .PlaceHold(new HoldRequest($"tsk-hold-{n}", new ResourceAmount(1, 0, 0, 0), TimeSpan.FromHours(1), "vm", null));
                if (latencies is not null)
                {
                    lock (latencies)
                    {
                        latencies.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                if (hold.IsSuccess)
                {
                    Interlocked.Increment(ref granted);
                }
            }
        }));
        return granted;
    }
}
