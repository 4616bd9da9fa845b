using OrleansCloud.Actions.VmCreate;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.HostAgent;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

// Prints the figures BENCHMARKS.md records. Run in Release:
//   dotnet run -c Release --project tests/Benchmarks [-- --tasks 2000 --concurrency 64 --hosts 8 --heartbeat-seconds 1 --skip-placement --history 20000]
// --history 0 leaves out the state-writes run (writes and bytes per vm.create as history grows).
// A cell-sized fleet: --hosts 1000 --heartbeat-seconds 5 (the agents' default interval).
var tasks = Argument("--tasks", 2000);
var concurrency = Argument("--concurrency", 64);
var hostCount = Argument("--hosts", 8);
var heartbeatSeconds = Argument("--heartbeat-seconds", 1);
var history = Argument("--history", 20_000);

// --holds-postgres "<connection string>": only quota holds with the tenant's state on PostgreSQL (deploy/bench-http.sh).
if (Array.IndexOf(Environment.GetCommandLineArgs(), "--holds-postgres") is var holdsAt and >= 0)
{
    System.Data.Common.DbProviderFactories.RegisterFactory(OrleansCloud.Hosting.ClusterSettings.PostgresInvariant, Npgsql.NpgsqlFactory.Instance);
    await OrleansCloud.Benchmarks.QuotaHoldsBenchmark.Run(Environment.GetCommandLineArgs()[holdsAt + 1]);
    return;
}

Console.WriteLine($"OrleansCloud benchmarks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(Debugger.IsAttached ? "debugger!" : "no debugger")}");
Console.WriteLine();
Micro("PlacementView.Elect, 1000 hosts, k=5", 200_000, ElectOverThousandHosts());
Micro("TenantState hold + commit + release usage", 200_000, HoldCommitRelease());
Console.WriteLine();
if (!Environment.GetCommandLineArgs().Contains("--skip-placement"))
{
    await OrleansCloud.Benchmarks.PlacementBenchmarks.Run(concurrency);
}

if (tasks > 0)
{
    await EndToEnd(tasks, concurrency, hostCount, heartbeatSeconds);
}

if (history >= 2000)
{
    Console.WriteLine();
    await OrleansCloud.Benchmarks.StateWritesBenchmark.Run(history, hostCount);
}

static int Argument(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}

// Median of five timed runs after a warm-up run; operations per second and time per operation.
static void Micro(string name, int iterations, Action<int> run)
{
    run(iterations / 10);
    var times = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        run(iterations);
        times.Add(watch.Elapsed.TotalSeconds);
    }

    times.Sort();
    var median = times[2];
    Console.WriteLine($"{name,-45} {iterations / median,12:N0} ops/s {median / iterations * 1e6,10:N2} us/op");
}

static Action<int> ElectOverThousandHosts()
{
    var now = DateTimeOffset.UtcNow;
    var random = new Random(20261124);
    var hosts = Enumerable.Range(0, 1000).Select(i => new HostSnapshot(
        $"h{i}", "default", "simulated", HostState.Up, new ResourceAmount(64, 262144, 4000, 200),
        new ResourceAmount(random.Next(0, 64), random.Next(0, 262144), random.Next(0, 4000), random.Next(0, 200)),
        ResourceAmount.Zero, ["kvm"], now.AddSeconds(-random.Next(0, 20)), 0)).ToList();
    var view = new PlacementView(0.05, new Random(20261124));
    hosts.ForEach(h => view.Upsert(h, 1));
    var request = new PlacementRequest(new ResourceAmount(2, 4096, 20, 1), ["kvm"], null);
    return n =>
    {
        for (var i = 0; i < n; i++)
        {
            _ = view.Elect(request, 5, now, TimeSpan.FromSeconds(30));
        }
    };
}

static Action<int> HoldCommitRelease()
{
    var now = DateTimeOffset.UtcNow;
    return n =>
    {
        var tenant = new TenantState { Exists = true, Limits = new ResourceAmount(1_000_000, 1_000_000_000, 1_000_000, 1_000_000) };
        for (var i = 0; i < n; i++)
        {
            var task = "t" + i;
            tenant.TryHold(new HoldRequest(task, new ResourceAmount(1, 1024, 10, 1), TimeSpan.FromMinutes(15), "vm", null), now);
            tenant.Commit(task, "vm" + i, now);
            tenant.ReleaseUsage("vm" + i);
        }
    };
}

// vm.create sagas end to end in one silo with simulated hosts answering at once (8 by default, each
// heartbeating every second): how many per second, how long Submit takes to answer 202 material, and
// what the silo holds afterwards. With a cell-sized fleet the heartbeats load the same silo meanwhile.
static async Task EndToEnd(int tasks, int concurrency, int hostCount, int heartbeatSeconds)
{
    var builder = new InProcessTestClusterBuilder(1);
    builder.Options.ConfigureFileLogging = false;

    // The product logs every task's end at Information; the figures are the output here.
    builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
    builder.ConfigureSilo((_, silo) =>
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HostAgent:HeartbeatInterval"] = TimeSpan.FromSeconds(heartbeatSeconds).ToString(),
            ["HostAgent:Simulated:Count"] = hostCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HostAgent:Simulated:Vcpus"] = "100000",
            ["HostAgent:Simulated:RamMb"] = "100000000",
            ["HostAgent:Simulated:DiskGb"] = "10000000",
            ["HostAgent:Simulated:MaxVms"] = "100000",
            ["HostAgent:Simulated:Latency"] = "00:00:00",
        }).Build();
        silo.AddMemoryGrainStorageAsDefault();
        silo.UseInMemoryReminderService();
        silo.AddOrleansCloudGrains(configuration);
        silo.AddHostAgent(configuration);
    });
    await using var cluster = builder.Build();
    await cluster.DeployAsync();
    var grains = cluster.Client;
    var fleet = Stopwatch.StartNew();
    while ((await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Count(h => h.State == HostState.Up) < hostCount)
    {
        await Task.Delay(100);
    }

    Console.WriteLine($"fleet: {hostCount} simulated hosts up after {fleet.Elapsed.TotalSeconds:N1} s, each heartbeating every {heartbeatSeconds} s ({hostCount / (double)heartbeatSeconds:N0} heartbeats/s)");
    var tenants = Enumerable.Range(0, 16).Select(i => $"bench-{i}").ToList();
    foreach (var tenant in tenants)
    {
        await grains.GetGrain<ITenantGrain>(tenant).Create(tenant, new ResourceAmount(1_000_000, 1_000_000_000, 1_000_000, 1_000_000));
    }

    GC.Collect();
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var submitLatencies = new double[tasks];
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < tasks)
        {
            var tenant = tenants[i % tenants.Count];
            var spec = new VmSpec($"vm{i}", 1, 512, 10, "debian-12-genericcloud", 2, "{}", null);
            var started = Stopwatch.GetTimestamp();
            var result = await grains.GetGrain<ITaskGrain>($"tsk-bench{i:D8}").Submit(
                new TaskRequest(tenant, VmCreatePayload.Action, "bench", null, new VmCreatePayload(spec), $"bench-{i}"));
            submitLatencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Error.Message);
            }
        }
    }));
    var submitted = watch.Elapsed;

    // Finished when every tenant's committed usage counts all of its VMs.
    while (true)
    {
        var used = 0;
        foreach (var tenant in tenants)
        {
            used += (await grains.GetGrain<ITenantGrain>(tenant).GetQuota()).Value!.Used.Vms;
        }

        if (used == tasks)
        {
            break;
        }

        await Task.Delay(20);
    }

    var finished = watch.Elapsed;
    var after = GC.GetTotalMemory(forceFullCollection: true);
    Array.Sort(submitLatencies);
    double Percentile(double p) => submitLatencies[(int)Math.Min(tasks - 1, Math.Ceiling(p * tasks) - 1)];
    Console.WriteLine($"vm.create end to end: {tasks} tasks, {concurrency} in flight, {hostCount} simulated hosts, 1 silo (in memory)");
    Console.WriteLine($"  accepted (202 material)  {tasks / submitted.TotalSeconds,10:N0} tasks/s   submit p50 {Percentile(0.50):N1} ms  p95 {Percentile(0.95):N1} ms  p99 {Percentile(0.99):N1} ms");
    Console.WriteLine($"  all succeeded after      {finished.TotalSeconds,10:N2} s       => {tasks / finished.TotalSeconds:N0} sagas/s");
    Console.WriteLine($"  managed heap growth      {(after - before) / 1024.0 / 1024.0,10:N1} MiB   ({(after - before) / (double)tasks / 1024.0:N1} KiB per task, VM and hold kept in memory storage)");
    Console.WriteLine($"  process working set      {Environment.WorkingSet / 1024.0 / 1024.0,10:N0} MiB");
}
