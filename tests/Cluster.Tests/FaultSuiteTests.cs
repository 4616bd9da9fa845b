using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// Issue 14's fault suite: the production topology under a bounded mixed load (vm.create, vm.stop,
/// vm.start, vm.delete from three tenants, each request retried with its Idempotency-Key as a client
/// should) while a silo, the agent and the API are killed, a silo is paused past its membership
/// timeout and PostgreSQL is stopped. Afterwards every invariant is checked: every task that answered
/// 202 is final and listed, nothing is held or claimed, usage equals what the hypervisors run, per
/// tenant and per host, no VM is on two hosts and no host operation was applied twice. It prints the
/// errors clients saw and the time each fault took to heal (also kept in fault-suite.txt).
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed partial class FaultSuiteTests(ProductionCluster cluster, ITestOutputHelper output)
{
    private const int Tenants = 3;
    private static readonly TimeSpan Healing = TimeSpan.FromSeconds(120);

    private readonly ConcurrentDictionary<string, string> _accepted = new(); // task id -> tenant id
    private readonly ConcurrentDictionary<string, int> _seen = new();        // client-visible answers other than 202
    private readonly List<string> _report = [];
    private readonly List<ChildProcess> _agents = [];
    private long _slowest;

    private const string Network = "lan";

    [Fact]
    public async Task UnderMixedLoad_EveryFault_LeavesEveryInvariantStanding()
    {
        var admin = await cluster.Admin();
        var tenants = new List<(string TenantId, Session User)>();
        for (var i = 0; i < Tenants; i++)
        {
            var (tenantId, username) = await admin.NewTenantWithUser(vcpus: 40, vms: 40);
            tenants.Add((tenantId, await Session.SignIn(cluster.ApiUrl, username, Session.UserPassword)));

            // Every VM of the load joins the tenant's network: its addresses must be settled like its quota.
            using var network = await admin.Http.PostAsJsonAsync("/api/v1/tenant/tasks",
                new { tenantId, action = "network.create", data = new { name = Network, area = "default" } });
            var created = await admin.FinalTask(await admin.Accepted(network), Healing);
            Assert.Equal("succeeded", created["status"]!.GetValue<string>());
        }

        _agents.Add(cluster.Agent);
        using var stop = new CancellationTokenSource();
        var load = tenants.SelectMany(t => Enumerable.Range(0, 2).Select(w => Load(t.TenantId, t.User, w, stop.Token))).ToList();
        var probe = tenants[0];

        await Fault("silo killed (SIGKILL) and restarted", probe, () =>
        {
            cluster.SiloA.Kill();
            cluster.Replace(cluster.SiloA);
            return Task.CompletedTask;
        });
        await Fault("agent killed (SIGKILL) and restarted", probe, () =>
        {
            cluster.Agent.Kill();
            _agents.Add(cluster.Replace(cluster.Agent));
            return Task.CompletedTask;
        });
        await Fault("API killed (SIGKILL) and restarted", probe, () =>
        {
            cluster.Api.Kill();
            cluster.Replace(cluster.Api);
            return Task.CompletedTask;
        });
        await Fault("silo paused 12 s (past its membership timeout), then resumed", probe, async () =>
        {
            cluster.SiloB.Pause();
            await Task.Delay(TimeSpan.FromSeconds(12));
            cluster.SiloB.Resume();

            // Declared dead while frozen, it stops itself on waking: a supervisor starts it again.
            await Task.Delay(TimeSpan.FromSeconds(5));
            if (!cluster.SiloB.IsRunning)
            {
                cluster.Replace(cluster.SiloB);
            }
        });
        await Fault("PostgreSQL stopped for 5 s", probe, async () =>
        {
            Postgres.Stop();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
            finally
            {
                Postgres.Start(DatabaseName());
            }
        });

        await stop.CancelAsync();
        await Task.WhenAll(load);
        await cluster.WaitUntilReady(Healing);

        var settled = Stopwatch.StartNew();
        await CheckTasks(tenants);
        _report.Add($"every accepted task final and listed {settled.Elapsed.TotalSeconds:0.0} s after the load stopped");
        await Wait.Until(() => Invariants(tenants), "usage, holds, claims, allocations and network addresses to match what the hypervisors run", TimeSpan.FromSeconds(90));
        _report.Add($"usage, allocations and network addresses equal to what the hypervisors run {settled.Elapsed.TotalSeconds:0.0} s after the load stopped");
        CheckAppliedOnce();

        _report.Add($"{_accepted.Count} tasks accepted; slowest answer {_slowest} ms");
        foreach (var (answer, count) in _seen.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            _report.Add($"client saw {count} x {answer}");
        }

        foreach (var line in _report)
        {
            output.WriteLine(line);
        }

        await File.WriteAllLinesAsync(Path.Combine(cluster.LogDirectory, "fault-suite.txt"), _report);
        Assert.DoesNotContain(_seen.Keys, k => k.StartsWith("500", StringComparison.Ordinal));

        // Answers are bounded by the API's ClusterCallTimeout (5 s), never Orleans' 30 s: 10 s leaves room for a busy machine.
        Assert.InRange(_slowest, 0, 10_000);
    }

    /// <summary>
    /// Lets the load run, injects the fault (which ends with the failed part back), then times how long
    /// until a fresh vm.create is accepted, and until that VM runs.
    /// </summary>
    private async Task Fault(string name, (string TenantId, Session User) probe, Func<Task> inject)
    {
        await Task.Delay(TimeSpan.FromSeconds(4));
        var outage = Stopwatch.StartNew();
        await inject();
        var healing = Stopwatch.StartNew();
        var key = "probe-" + Guid.NewGuid().ToString("N");
        string? taskId = null;
        await Wait.Until(async () =>
        {
            using var response = await probe.User.CreateVm(probe.TenantId, key, idempotencyKey: key);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                taskId = await probe.User.Accepted(response);
                _accepted[taskId] = probe.TenantId;
                return true;
            }

            // The same key while the cluster could not answer; a refusal (no capacity yet) is final for its key.
            var code = Code(await response.Content.ReadAsStringAsync());
            _seen.AddOrUpdate($"probe: {(int)response.StatusCode} {code}", 1, (_, c) => c + 1);
            if (code != "ERR_UNAVAILABLE")
            {
                key = "probe-" + Guid.NewGuid().ToString("N");
            }

            return false;
        }, $"a vm.create to be accepted after: {name}", Healing);
        var accepted = healing.Elapsed;
        var task = await probe.User.FinalTask(taskId!, Healing);
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        _report.Add($"{name} (fault {outage.Elapsed - healing.Elapsed:mm\\:ss\\.f}): a new vm.create accepted {accepted.TotalSeconds:0.0} s after, its VM running {healing.Elapsed.TotalSeconds:0.0} s after");
    }

    /// <summary>One client of a tenant: keeps about three VMs, stops, starts and deletes them, retrying each request with its key.</summary>
    private async Task Load(string tenantId, Session user, int worker, CancellationToken stop)
    {
        var random = new Random(worker * 7919 + tenantId.GetHashCode(StringComparison.Ordinal));
        var vms = new List<string>();
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            n++;
            var (action, vmId) = vms.Count < 2 || random.Next(4) == 0
                ? ("vm.create", (string?)null)
                : (new[] { "vm.stop", "vm.start", "vm.delete" }[random.Next(3)], vms[random.Next(vms.Count)]);
            var taskId = await Submit(user, tenantId, action, vmId, $"w{worker}-{n}-{Guid.NewGuid():N}", stop);
            if (taskId is null)
            {
                await Task.Delay(200, CancellationToken.None); // refused: a client does not hammer
                continue;
            }

            JsonObject task;
            try
            {
                task = await user.FinalTask(taskId, TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                continue; // Checked at the end with the others.
            }

            if (task["status"]!.GetValue<string>() != "succeeded")
            {
                continue;
            }

            if (action == "vm.create")
            {
                vms.Add(task["result"]!["vmId"]!.GetValue<string>());
            }
            else if (action == "vm.delete")
            {
                vms.Remove(vmId!);
            }
        }
    }

    private async Task<string?> Submit(Session user, string tenantId, string action, string? vmId, string key, CancellationToken stop)
    {
        for (var attempt = 0; attempt < 20 && !stop.IsCancellationRequested; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenant/tasks")
            {
                Content = JsonContent.Create(action == "vm.create"
                    ? (object)new { tenantId, action, data = new { name = "load-" + key[..Math.Min(key.Length, 40)], cpu = 1, ram = "1GB", disk = "10GB", network = Network } }
                    : new { tenantId, action, target = new { kind = "vm", refId = vmId } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            var clock = Stopwatch.StartNew();
            string answer;
            try
            {
                using var response = await user.Http.SendAsync(request, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var taskId = JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
                    _accepted[taskId] = tenantId;
                    return taskId;
                }

                var code = Code(body);
                answer = $"{(int)response.StatusCode} {code}";
                if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.BadRequest
                    || code == "ERR_NO_CAPACITY")
                {
                    _seen.AddOrUpdate(answer, 1, (_, c) => c + 1);
                    return null; // A refusal (state, quota, capacity): final for its key.
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answer = ex.GetType().Name;
            }
            finally
            {
                InterlockedMax(ref _slowest, clock.ElapsedMilliseconds);
            }

            _seen.AddOrUpdate(answer, 1, (_, c) => c + 1);
            await Task.Delay(500, CancellationToken.None);
        }

        return null;
    }

    private async Task CheckTasks(List<(string TenantId, Session User)> tenants)
    {
        var sessions = tenants.ToDictionary(t => t.TenantId, t => t.User);
        foreach (var group in _accepted.GroupBy(a => a.Value))
        {
            var user = sessions[group.Key];
            var listed = await ListAll(user, "/api/v1/tenant/tasks");
            foreach (var (taskId, _) in group)
            {
                var task = await user.FinalTask(taskId, Healing);
                Assert.Contains(task["status"]!.GetValue<string>(), new[] { "succeeded", "failed", "rolledBack" });
                Assert.True(listed.Contains(taskId) || (await ListAll(user, "/api/v1/tenant/tasks")).Contains(taskId), $"task {taskId} answered 202 but is not in its tenant's list");
            }
        }
    }

    /// <summary>The ledger against the hypervisors (the simulated hosts' state file): per tenant, per host, and every VM once.</summary>
    private async Task<bool> Invariants(List<(string TenantId, Session User)> tenants)
    {
        var domains = Domains();
        var onHosts = domains.SelectMany(h => h.Value.Select(d => (Host: h.Key, d.VmId))).ToList();
        Assert.Equal(onHosts.Count, onHosts.Select(d => d.VmId).Distinct().Count()); // no VM on two hypervisors

        var admin = await cluster.Admin();
        var hosts = (await admin.GetJson("/api/v1/admin/hosts"))["items"]!.AsArray();
        foreach (var host in hosts)
        {
            var name = host!["hostName"]!.GetValue<string>();
            var running = domains.GetValueOrDefault(name) ?? [];
            if (host["claimed"]!["vcpus"]!.GetValue<int>() != 0 || host["allocated"]!["vcpus"]!.GetValue<int>() != running.Sum(d => d.Cpu))
            {
                return false;
            }
        }

        var existing = onHosts.Select(d => d.VmId).ToHashSet(StringComparer.Ordinal);
        foreach (var (tenantId, user) in tenants)
        {
            var quota = await user.GetJson($"/api/v1/tenant/quota?tenantId={tenantId}");
            var listed = (await user.GetJson($"/api/v1/tenant/vms?tenantId={tenantId}"))["items"]!.AsArray().Select(v => v!["vmId"]!.GetValue<string>()).ToList();
            // Usage counts exactly the VMs that exist, each of them listed; a VM lost on its host may stay
            // listed (failed, counting nothing) until it is deleted.
            var created = await CreatedVms(user, tenantId);
            var alive = created.Where(existing.Contains).ToList();
            if (quota["held"]!["vms"]!.GetValue<int>() != 0
                || quota["used"]!["vms"]!.GetValue<int>() != alive.Count
                || !alive.All(listed.Contains))
            {
                return false;
            }

            // The network's addresses: exactly one per interface of a listed VM, none given twice, none leaked
            // by a create or delete that a fault interrupted, rolled back or retried.
            var vms = (await user.GetJson($"/api/v1/tenant/vms?tenantId={tenantId}"))["items"]!.AsArray();
            var addresses = vms.SelectMany(v => v!["interfaces"]!.AsArray()).Where(i => i!["network"]!.GetValue<string>() == Network)
                .Select(i => i!["address"]!.GetValue<string>()).ToList();
            Assert.Equal(addresses.Count, addresses.Distinct().Count());
            var network = (await user.GetJson($"/api/v1/tenant/networks?tenantId={tenantId}"))["items"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == Network)!;
            if (network["interfaces"]!.GetValue<int>() != addresses.Count)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<List<string>> CreatedVms(Session user, string tenantId)
    {
        var vms = new List<string>();
        foreach (var (taskId, _) in _accepted.Where(a => a.Value == tenantId))
        {
            var task = await user.GetJson($"/api/v1/tenant/tasks/{taskId}");
            if (task["action"]!.GetValue<string>() == "vm.create" && task["result"]?["vmId"] is { } vmId)
            {
                vms.Add(vmId.GetValue<string>());
            }
        }

        return vms;
    }

    /// <summary>Every side effect the agents logged (across restarts) happened once per operation id.</summary>
    private void CheckAppliedOnce()
    {
        var applied = _agents.Append(cluster.Agent).Distinct().SelectMany(a => a.Output)
            .Select(line => AppliedLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var twice = applied.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"applied more than once: {string.Join(", ", twice)}");
        _report.Add($"{applied.Count} host operations applied, none twice");
    }

    private Dictionary<string, List<(string VmId, int Cpu)>> Domains()
    {
        var path = Path.Combine(cluster.LogDirectory, "simulated-hosts.json");
        var saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return saved.ToDictionary(
            h => h.Key,
            h => h.Value!.AsArray().Select(d => (d!["VmId"]!.GetValue<string>(), d["Spec"]!["Cpu"]!.GetValue<int>())).ToList());
    }

    private static async Task<HashSet<string>> ListAll(Session user, string path)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await user.GetJson($"{path}?pageSize=100{(token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token))}");
            foreach (var item in page["items"]!.AsArray())
            {
                ids.Add(item!["taskId"]!.GetValue<string>());
            }

            token = page["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null);
        return ids;
    }

    private string DatabaseName() =>
        cluster.ConnectionString.Split(';').Select(p => p.Split('=', 2)).Single(p => p[0] == "Database")[1];

    private static string Code(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["code"]?.GetValue<string>() ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [GeneratedRegex(@"Simulated \w+ applied: operation (\S+) for")]
    private static partial Regex AppliedLine();
}
