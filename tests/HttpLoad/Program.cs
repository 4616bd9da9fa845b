using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

// A load generator for the HTTP API, as a tenant sees it: vm.create over POST /tenant/tasks with
// a fixed number of requests in flight spread over several tenants, until a count of tasks.
// It prints accepted/s, completed/s (every accepted task's VM counted in its tenant's quota),
// the 202 latency and the completion rate per window of tasks, so a rate that falls as history
// grows shows. deploy/bench-http.sh starts the topologies and runs it against each.
//
//   dotnet tests/HttpLoad/bin/Release/net10.0/OrleansCloud.HttpLoad.dll --url http://127.0.0.1:5080 \
//     --password <admin password> [--user admin] [--tasks 2000] [--concurrency 64] [--tenants 16] \
//     [--window 2000] [--warmup-seconds 0] [--label text]
//
// --warmup-seconds S first runs the same load for S seconds, waits for it to complete and prints its rate
// apart: a freshly started .NET process spends its first minute or so compiling (tiered JIT and PGO), so
// the measured run that follows is the control plane as it runs once warm; the warm-up's rate is the cold one.
var url = new Uri(Option("--url", "http://127.0.0.1:5080"));
var adminUser = Option("--user", "admin");
var adminPassword = Option("--password", Environment.GetEnvironmentVariable("OC_ADMIN_PASSWORD") ?? "");
var total = int.Parse(Option("--tasks", "2000"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("--concurrency", "64"), CultureInfo.InvariantCulture);
var tenantCount = int.Parse(Option("--tenants", "16"), CultureInfo.InvariantCulture);
var window = int.Parse(Option("--window", "2000"), CultureInfo.InvariantCulture);
var label = Option("--label", url.ToString());
var warmupTime = TimeSpan.FromSeconds(double.Parse(Option("--warmup-seconds", "0"), CultureInfo.InvariantCulture));
var completionLimit = TimeSpan.FromSeconds(double.Parse(Option("--completion-timeout-seconds", "300"), CultureInfo.InvariantCulture));

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency + tenantCount + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = url,
    Timeout = TimeSpan.FromSeconds(60),
};

var admin = await SignIn(adminUser, adminPassword);
var run = Guid.NewGuid().ToString("N")[..6];
// Room for the measured tasks, the warm-up (at most 2,000/s) and a margin.
var perTenant = (int)Math.Min(int.MaxValue / 1024, (total + warmupTime.TotalSeconds * 2000) / tenantCount + 2 + 8);
var tenants = new List<(string Id, string Token)>();

// vm.create's default image must be in the catalogue; the all-in-one seeds it, a production cluster starts empty.
using (var image = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/images") { Content = JsonContent.Create(new { imageId = "debian-12-genericcloud", os = "Debian 12" }) })
{
    image.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
    using var response = await http.SendAsync(image);
    if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
    {
        throw new InvalidOperationException($"POST /api/v1/admin/images: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

for (var i = 0; i < tenantCount; i++)
{
    var tenantId = $"load{run}{i:00}";
    var username = $"load{run}u{i:00}";
    await Send(HttpMethod.Post, "/api/v1/admin/tenants", admin, new
    {
        tenantId,
        name = $"Load {run} {i}",
        quota = new { vcpus = perTenant, ramMb = perTenant * 1024L, diskGb = perTenant * 10L, vms = perTenant },
    }, HttpStatusCode.Created);
    await Send(HttpMethod.Post, "/api/v1/admin/users", admin, new
    {
        username,
        password = "load-password-" + run,
        memberships = new[] { new { tenantId, permissions = new[] { "vm.add", "vm.edit", "vm.delete" } } },
    }, HttpStatusCode.Created);
    tenants.Add((tenantId, await SignIn(username, "load-password-" + run)));
}

Stopwatch? started = null;

// A short warm-up (activations, connection pools), not counted; with --warmup-seconds, a long one.
var warmupClock = Stopwatch.StartNew();
var warmed = await Load(warmupTime > TimeSpan.Zero ? int.MaxValue : tenants.Count * 2, concurrency, prefix: "warm", record: null, until: warmupTime);
var baseline = 0;
(baseline, _) = await WaitForCompletion(() => warmed, windowSize: 0, TimeSpan.FromSeconds(300));
var warmupElapsed = warmupClock.Elapsed;
if (warmupTime > TimeSpan.Zero)
{
    Console.WriteLine($"  warm-up              {warmed,8} vm.create in {warmupElapsed.TotalSeconds,7:F2} s  => {warmed / warmupElapsed.TotalSeconds,8:F0} completed/s (cold processes, not counted below)");
}

var latencies = new List<double>(total);
var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
started = Stopwatch.StartNew();
var target = int.MaxValue;
var completion = WaitForCompletion(() => Volatile.Read(ref target), window, completionLimit);
var accepted = await Load(total, concurrency, prefix: "load", record: (ms, outcome) =>
{
    lock (latencies)
    {
        if (outcome is null)
        {
            latencies.Add(ms);
        }
        else
        {
            refusals[outcome] = refusals.GetValueOrDefault(outcome) + 1;
        }
    }
});
var submitted = started.Elapsed;
Volatile.Write(ref target, baseline + accepted);
var (completed, windows) = await completion;
var finished = started.Elapsed;

latencies.Sort();
Console.WriteLine($"== {label}");
Console.WriteLine($"  {total} vm.create over HTTP, {concurrency} in flight, {tenantCount} tenants, {Environment.ProcessorCount} cores");
Console.WriteLine($"  accepted (202)       {accepted,8} in {submitted.TotalSeconds,7:F2} s  => {accepted / submitted.TotalSeconds,8:F0} accepted/s");
Console.WriteLine($"  completed (counted)  {completed - baseline,8} in {finished.TotalSeconds,7:F2} s  => {(completed - baseline) / finished.TotalSeconds,8:F0} completed/s");
Console.WriteLine($"  202 latency          p50 {Percentile(0.50),7:F1} ms  p95 {Percentile(0.95),7:F1} ms  p99 {Percentile(0.99),7:F1} ms  max {(latencies.Count > 0 ? latencies[^1] : 0),7:F1} ms");
foreach (var (outcome, count) in refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"  not accepted         {count,8} x {outcome}");
}

for (var i = 0; i < windows.Count; i++)
{
    var from = i == 0 ? TimeSpan.Zero : windows[i - 1];
    Console.WriteLine($"  tasks {i * window + 1,6}-{(i + 1) * window,-6} completed at {window / (windows[i] - from).TotalSeconds,8:F0}/s");
}

Console.WriteLine($"RESULT label=\"{label}\" accepted_per_s={accepted / submitted.TotalSeconds:F0} completed_per_s={(completed - baseline) / finished.TotalSeconds:F0} p50_ms={Percentile(0.50):F1} p99_ms={Percentile(0.99):F1} refused={refusals.Values.Sum()} warmup_tasks={warmed}"
    + (warmupTime > TimeSpan.Zero ? $" warmup_per_s={warmed / warmupElapsed.TotalSeconds:F0}" : "")
    + (windows.Count >= 2 ? $" first_window_per_s={window / windows[0].TotalSeconds:F0} last_window_per_s={window / (windows[^1] - windows[^2]).TotalSeconds:F0}" : ""));
return completed - baseline == accepted ? 0 : 1;

double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];

// Submits count vm.creates (or as many as fit in `until`) with `parallel` requests in flight; answers how many were accepted.
async Task<int> Load(int count, int parallel, string prefix, Action<double, string?>? record, TimeSpan until = default)
{
    var clock = Stopwatch.StartNew();
    var next = -1;
    var acceptedCount = 0;
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        int n;
        while ((until <= TimeSpan.Zero || clock.Elapsed < until) && (n = Interlocked.Increment(ref next)) < count)
        {
            var (tenantId, token) = tenants[n % tenants.Count];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenant/tasks")
            {
                Content = JsonContent.Create(new { tenantId, action = "vm.create", data = new { name = $"{prefix}-{n}", cpu = 1, ram = "1GB", disk = "10GB" } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", $"{run}-{prefix}-{n}");
            var watch = Stopwatch.StartNew();
            string? outcome;
            try
            {
                using var response = await http.SendAsync(request);
                outcome = response.StatusCode == HttpStatusCode.Accepted ? null : $"{(int)response.StatusCode} {Code(await response.Content.ReadAsStringAsync())}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                outcome = ex.GetType().Name;
            }

            record?.Invoke(watch.Elapsed.TotalMilliseconds, outcome);
            if (outcome is null)
            {
                Interlocked.Increment(ref acceptedCount);
            }
        }
    }));
    return acceptedCount;
}

// Polls every tenant's quota until the VMs counted reach the goal (which may be set while it runs); answers the count and, when
// windowSize > 0, the time since the start at which each further windowSize VMs were counted.
async Task<(int Completed, List<TimeSpan> Windows)> WaitForCompletion(Func<int> goal, int windowSize, TimeSpan limit)
{
    var windowsSeen = new List<TimeSpan>();
    var deadline = DateTime.UtcNow + limit;
    var counted = 0;
    while (DateTime.UtcNow < deadline)
    {
        var used = await Task.WhenAll(tenants.Select(async t =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenant/quota?tenantId={t.Id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", t.Token);
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode
                ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["used"]!["vms"]!.GetValue<int>()
                : 0;
        }));
        counted = used.Sum();
        while (windowSize > 0 && counted - baseline >= (windowsSeen.Count + 1) * windowSize)
        {
            windowsSeen.Add(started?.Elapsed ?? TimeSpan.Zero);
        }

        if (counted >= goal())
        {
            break;
        }

        await Task.Delay(200);
    }

    return (counted, windowsSeen);
}

async Task<string> SignIn(string username, string password)
{
    using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"sign-in of {username}: {(int)response.StatusCode} {body}");
    }

    return JsonNode.Parse(body)!["accessToken"]!.GetValue<string>();
}

async Task Send(HttpMethod method, string path, string token, object body, HttpStatusCode expected)
{
    using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

static string Code(string body)
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

static string Option(string name, string fallback)
{
    var args = Environment.GetCommandLineArgs();
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
