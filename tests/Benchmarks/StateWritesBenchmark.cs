using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Actions.VmDelete;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.HostAgent;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Benchmarks;

/// <summary>
/// Grain-state writes as history grows: batches of 500 vm.create then vm.delete of the same VMs
/// (16 tenants, 64 in flight, simulated hosts answering at once, memory storage behind a
/// <see cref="CountingGrainStorage"/>), so history grows while the live VMs stay at most 500. For the
/// batch that ends at 2,000 tasks and the one that ends at the last task count, prints tasks
/// completed/s, writes per task and bytes per write by grain type, for the creates and the deletes.
/// </summary>
public static class StateWritesBenchmark
{
    private const int Batch = 1000;
    private const int Concurrency = 64;

    public static async Task Run(int history, int hostCount)
    {
        CountingGrainStorage? counting = null;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HostAgent:HeartbeatInterval"] = "00:00:01",
                ["HostAgent:Simulated:Count"] = hostCount.ToString(CultureInfo.InvariantCulture),
                ["HostAgent:Simulated:Vcpus"] = "100000",
                ["HostAgent:Simulated:RamMb"] = "100000000",
                ["HostAgent:Simulated:DiskGb"] = "10000000",
                ["HostAgent:Simulated:MaxVms"] = "100000",
                ["HostAgent:Simulated:Latency"] = "00:00:00",
            }).Build();
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage("Counted");
            silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
                counting ??= new CountingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("Counted"), sp.GetRequiredService<IGrainStorageSerializer>()));
            silo.UseInMemoryReminderService();
            silo.AddOrleansCloudGrains(configuration);
            silo.AddHostAgent(configuration);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var grains = cluster.Client;
        while ((await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Count(h => h.State == HostState.Up) < hostCount)
        {
            await Task.Delay(100);
        }

        var tenants = Enumerable.Range(0, 16).Select(i => $"hist-{i}").ToList();
        foreach (var tenant in tenants)
        {
            await grains.GetGrain<ITenantGrain>(tenant).Create(tenant, new ResourceAmount(1_000_000, 1_000_000_000, 1_000_000, 1_000_000));
        }

        Console.WriteLine($"state writes as history grows: vm.create, {tenants.Count} tenants, {Concurrency} in flight, {hostCount} simulated hosts, 1 silo (memory storage, Orleans binary serializer), batches of {Batch}");
        var rates = new Dictionary<int, double>();
        for (var done = 0; done < history; done += Batch)
        {
            counting!.TakeWindow();
            var watch = Stopwatch.StartNew();
            await RunBatch(grains, tenants, done / 2, Batch / 2, delete: false);
            var creates = counting.TakeWindow();
            var createSeconds = watch.Elapsed.TotalSeconds;
            await RunBatch(grains, tenants, done / 2, Batch / 2, delete: true);
            var deletes = counting.TakeWindow();
            var rate = Batch / watch.Elapsed.TotalSeconds;
            var reached = done + Batch;
            if (reached == 2 * Batch || reached == history)
            {
                rates[reached] = rate;
                Console.WriteLine($"  batch ending at {reached,6:N0} tasks: {rate,6:N0} tasks completed/s ({Batch / 2 / createSeconds:N0} vm.create/s, then {Batch / 2 / (watch.Elapsed.TotalSeconds - createSeconds):N0} vm.delete/s)");
                Print("vm.create", creates);
                Print("vm.delete", deletes);
            }
        }

        if (rates.Count == 2)
        {
            var (first, last) = (rates[2 * Batch], rates[history]);
            Console.WriteLine($"  rate at {history:N0} / rate at {2 * Batch:N0} tasks: {last / first:N2} (the issue's target: >= 0.90)");
        }

        Console.WriteLine($"  process working set      {Environment.WorkingSet / 1024.0 / 1024.0,10:N0} MiB");
    }

    private static void Print(string action, IReadOnlyDictionary<string, CountingGrainStorage.Tally> window)
    {
        const double tasks = Batch / 2;
        Console.WriteLine($"    {action}: {window.Values.Sum(t => t.Writes) / tasks:N1} state writes per task");
        foreach (var (type, tally) in window.OrderByDescending(t => t.Value.Writes))
        {
            Console.WriteLine($"      {type,-20} {tally.Writes / tasks,5:N2} writes/task  {tally.Bytes / (double)Math.Max(1, tally.Writes),8:N0} B/write (max {tally.MaxBytes:N0})");
        }
    }

    private static async Task RunBatch(IClusterClient grains, List<string> tenants, int first, int count, bool delete)
    {
        var next = first - 1;
        var end = first + count;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < end)
            {
                var tenant = tenants[i % tenants.Count];
                var spec = new VmSpec($"vm{i}", 1, 512, 10, "debian-12-genericcloud", 2, "{}", null);
                var result = delete
                    ? await grains.GetGrain<ITaskGrain>($"tsk-histdel{i:D8}").Submit(new TaskRequest(
                        tenant, VmDeletePayload.Action, "bench", new TaskTarget("vm", $"vm-hist{i:D8}"), new VmDeletePayload(), $"histdel-{i}"))
                    : await grains.GetGrain<ITaskGrain>($"tsk-hist{i:D8}").Submit(
                        new TaskRequest(tenant, VmCreatePayload.Action, "bench", null, new VmCreatePayload(spec), $"hist-{i}"));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException(result.Error.Message);
                }
            }
        }));

        // Done when every tenant's committed usage counts the batch's VMs (after deletes: none).
        while (true)
        {
            var used = 0;
            foreach (var tenant in tenants)
            {
                used += (await grains.GetGrain<ITenantGrain>(tenant).GetQuota()).Value!.Used.Vms;
            }

            if (used == (delete ? 0 : count))
            {
                return;
            }

            await Task.Delay(10);
        }
    }
}
