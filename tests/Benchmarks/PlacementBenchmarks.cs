using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.HostAgent;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Benchmarks;

/// <summary>
/// Elections through the placement grain in a running silo, the 12,000-onto-10,000 placement race, and
/// host agents with 200 ms of hypervisor latency run one operation at a time versus in parallel.
/// </summary>
public static class PlacementBenchmarks
{
    private static readonly ResourceAmount OneVm = new(2, 2048, 20, 1);

    public static async Task Run(int inFlight)
    {
        await using (var cluster = await Start(new Dictionary<string, string?> { ["Placement:MaxHeartbeatAge"] = "01:00:00" }, agent: false))
        {
            var grains = cluster.Client;
            foreach (var hosts in new[] { 1_000, 10_000 })
            {
                var capability = $"elect{hosts}";
                await Hosts(grains, capability, hosts, new ResourceAmount(64, 262144, 4000, 200));
                await Elections(grains, capability, hosts, inFlight, elections: 3_000); // warm-up
                await Elections(grains, capability, hosts, inFlight: 1, elections: 2_000);
                await Elections(grains, capability, hosts, inFlight, elections: 20_000);
                foreach (var rate in new[] { 2_000, 10_000 })
                {
                    await ElectionsAtRate(grains, capability, hosts, rate, TimeSpan.FromSeconds(4));
                }
            }

            await Placements(grains, hosts: 10_000, placements: 12_000);
        }

        Console.WriteLine();
        foreach (var parallel in new[] { 1, 8 })
        {
            await AgentsWithLatency(parallel, tasks: 120, inFlight);
        }

        Console.WriteLine();
    }

    private static async Task<InProcessTestCluster> Start(Dictionary<string, string?> settings, bool agent)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.AddOrleansCloudGrains(configuration);
            if (agent)
            {
                silo.AddHostAgent(configuration);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    // Hosts announced by heartbeat alone: elections and claims need no agent. Their own capability keeps
    // each scenario's hosts apart in the one view.
    private static async Task<List<string>> Hosts(IGrainFactory grains, string capability, int count, ResourceAmount capacity)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{capability}-{i:D5}").ToList();
        await ForEach(names, 256, name => grains.GetGrain<IHostGrain>(name)
            .Heartbeat(new HostHeartbeat(name, "default", "simulated", capacity, [capability], 0, DateTimeOffset.UtcNow)));
        return names;
    }

    private static async Task Elections(IGrainFactory grains, string capability, int hosts, int inFlight, int elections)
    {
        var placement = grains.GetGrain<IPlacementGrain>(PlacementKeys.Global);
        var request = new PlacementRequest(new ResourceAmount(2, 4096, 20, 1), [capability], null);
        var latencies = new double[elections];
        var returned = 0L;
        var watch = Stopwatch.StartNew();
        await ForEach(Enumerable.Range(0, elections), inFlight, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            var candidates = await placement.Elect(request);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Interlocked.Add(ref returned, candidates.Count);
        });
        var elapsed = watch.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine($"election through the grain, {hosts,6:N0} hosts, {inFlight} in flight, {elections,6:N0} elections: {elections / elapsed,8:N0} elections/s  p50 {P(latencies, 0.50):N2} ms  p99 {P(latencies, 0.99):N2} ms  ({returned / (double)elections:N1} candidates each)");
    }

    // Elections offered at a fixed rate (open loop), as a saga's elections arrive, instead of 64 callers
    // that each wait for their answer before asking again (a closed loop measures the queue those 64 make:
    // at 50,000/s their mean is 64 / 50,000 s whatever one election costs). Each latency counts from the
    // call; how late the generator's 1 ms timer launched it is printed apart, so neither hides the other.
    private static async Task ElectionsAtRate(IGrainFactory grains, string capability, int hosts, int rate, TimeSpan duration)
    {
        var placement = grains.GetGrain<IPlacementGrain>(PlacementKeys.Global);
        var request = new PlacementRequest(new ResourceAmount(2, 4096, 20, 1), [capability], null);
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var lateness = 0.0;
        var running = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var launched = 0;
        while (launched < total)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            var due = Math.Min(total, (int)(now / 1000.0 * rate) + 1);
            for (; launched < due; launched++)
            {
                lateness += now - (launched * 1000.0 / rate);
                running.Add(Timed(placement, request, latencies, launched));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(running);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine($"election through the grain, {hosts,6:N0} hosts, offered {rate,6:N0}/s for {duration.TotalSeconds:N0} s: {total / elapsed,8:N0} elections/s  p50 {P(latencies, 0.50):N2} ms  p99 {P(latencies, 0.99):N2} ms  max {latencies[^1]:N2} ms  (launched {lateness / total:N2} ms late on average)");

        static async Task Timed(IPlacementGrain placement, PlacementRequest request, double[] latencies, int i)
        {
            var started = Stopwatch.GetTimestamp();
            _ = await placement.Elect(request);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    // Every host fits exactly one VM, every placement is in flight at once: how many land, and does any
    // host take two.
    private static async Task Placements(IGrainFactory grains, int hosts, int placements)
    {
        var capability = $"place{hosts}";
        var names = await Hosts(grains, capability, hosts, OneVm);
        var placement = grains.GetGrain<IPlacementGrain>(PlacementKeys.Global);
        var request = new PlacementRequest(OneVm, [capability], null);
        var latencies = new double[placements];
        var watch = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, placements).Select(async i =>
        {
            await Task.Yield();
            var started = Stopwatch.GetTimestamp();
            var outcome = await HostPlacement.ElectAndClaim(placement, request, new PlacementOptions().MaxElectionRounds, async host =>
                (await grains.GetGrain<IHostGrain>(host).TryClaim(new CapacityClaim($"claim-{i}", OneVm, [capability]))).IsSuccess);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return outcome;
        }));
        var elapsed = watch.Elapsed.TotalSeconds;
        var snapshots = new List<HostSnapshot>();
        await ForEach(names, 256, async name =>
        {
            var snapshot = (await grains.GetGrain<IHostGrain>(name).Get()).Value!;
            lock (snapshots)
            {
                snapshots.Add(snapshot);
            }
        });
        var placed = outcomes.Count(o => o.Host is not null);
        var doubleBooked = snapshots.Count(s => !s.Free.IsNonNegative);
        var elections = outcomes.Sum(o => o.Elections);
        Array.Sort(latencies);
        Console.WriteLine($"{placements:N0} parallel placements onto {hosts:N0} one-VM hosts: placed {placed:N0}, double-booked {doubleBooked}, hosts left free {snapshots.Count(s => s.Claimed.Vms == 0):N0}");
        Console.WriteLine($"  {placements / elapsed:N0} placements/s, {elections / elapsed:N0} elections/s ({elections:N0} elections, {outcomes.Sum(o => o.Refusals):N0} refused claims), placement p50 {P(latencies, 0.50):N1} ms  p99 {P(latencies, 0.99):N1} ms");
    }

    // vm.create sagas end to end against 3 simulated hosts whose every operation takes 200 ms.
    private static async Task AgentsWithLatency(int maxParallel, int tasks, int inFlight)
    {
        var settings = new Dictionary<string, string?>
        {
            ["HostAgent:HeartbeatInterval"] = "00:00:01",
            ["HostAgent:MaxParallelOperations"] = maxParallel.ToString(CultureInfo.InvariantCulture),
            ["HostAgent:Simulated:Count"] = "3",
            ["HostAgent:Simulated:Vcpus"] = "100000",
            ["HostAgent:Simulated:RamMb"] = "100000000",
            ["HostAgent:Simulated:DiskGb"] = "10000000",
            ["HostAgent:Simulated:MaxVms"] = "100000",
            ["HostAgent:Simulated:Latency"] = "00:00:00.200",
        };
        await using var cluster = await Start(settings, agent: true);
        var grains = cluster.Client;
        while ((await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Count(h => h.State == HostState.Up) < 3)
        {
            await Task.Delay(100);
        }

        const string tenant = "bench-latency";
        await grains.GetGrain<ITenantGrain>(tenant).Create(tenant, new ResourceAmount(1_000_000, 1_000_000_000, 1_000_000, 1_000_000));
        var watch = Stopwatch.StartNew();
        await ForEach(Enumerable.Range(0, tasks), inFlight, async i =>
        {
            var spec = new VmSpec($"lat{i}", 1, 512, 10, "debian-12-genericcloud", 2, "{}", null);
            var result = await grains.GetGrain<ITaskGrain>($"tsk-lat{maxParallel}-{i:D6}").Submit(
                new TaskRequest(tenant, VmCreatePayload.Action, "bench", null, new VmCreatePayload(spec), $"lat-{i}"));
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Error.Message);
            }
        });
        while ((await grains.GetGrain<ITenantGrain>(tenant).GetQuota()).Value!.Used.Vms < tasks)
        {
            await Task.Delay(20);
        }

        Console.WriteLine($"vm.create, 3 simulated hosts with 200 ms per operation, HostAgent:MaxParallelOperations={maxParallel}: {tasks} tasks in {watch.Elapsed.TotalSeconds:N1} s => {tasks / watch.Elapsed.TotalSeconds,6:N1} vm.create/s");
    }

    private static Task ForEach<T>(IEnumerable<T> items, int inFlight, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (item, _) => await body(item));

    private static double P(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}
