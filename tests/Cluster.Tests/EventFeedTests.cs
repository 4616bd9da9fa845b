using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// The event feed in the production topology: tenants' streams hash onto the stream queues, and every queue
/// must be read by a silo that runs the stream provider. The host agent is a silo too (without streams), and
/// Orleans' default balancer gave it its share of the queues: the events of the tenants whose queue it held
/// were never delivered (and were refused once the queue was full). Twelve tenants leave a queue held by no
/// reader less than a 1% chance to go unnoticed.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class EventFeedTests(ProductionCluster cluster, ITestOutputHelper output)
{
    private const int Tenants = 12;

    [Fact]
    public async Task EveryTenantsTask_ReachesItsEventFeed_WhicheverQueueItsStreamHashesTo()
    {
        var admin = await cluster.Admin();
        var tasks = await Task.WhenAll(Enumerable.Range(0, Tenants).Select(async i =>
        {
            var (tenantId, username) = await admin.NewTenantWithUser();
            var user = await Session.SignIn(cluster.ApiUrl, username, Session.UserPassword);
            var taskId = await user.Accepted(await user.CreateVm(tenantId, $"fed-{i}"));
            return (TenantId: tenantId, User: user, TaskId: taskId);
        }));

        var missing = new List<string>();
        var vms = new List<(string TenantId, Session User, string VmId)>();
        foreach (var (tenantId, user, taskId) in tasks)
        {
            var task = await user.FinalTask(taskId, TimeSpan.FromSeconds(60));
            Assert.Equal("succeeded", task["status"]!.GetValue<string>());
            vms.Add((tenantId, user, task["result"]!["vmId"]!.GetValue<string>()));
            var types = await EventTypesOf(user, taskId, TimeSpan.FromSeconds(15));
            output.WriteLine($"{tenantId}: {string.Join(", ", types)}");
            if (!types.Contains("task.succeeded"))
            {
                missing.Add(tenantId);
            }
        }

        // The cluster's simulated hosts are shared by the collection's tests: give their room back.
        await Task.WhenAll(vms.Select(async vm =>
        {
            var deleted = await vm.User.Accepted(await vm.User.Http.PostAsJsonAsync("/api/v1/tenant/tasks",
                new { tenantId = vm.TenantId, action = "vm.delete", target = new { kind = "vm", refId = vm.VmId } }));
            Assert.Equal("succeeded", (await vm.User.FinalTask(deleted, TimeSpan.FromSeconds(60)))["status"]!.GetValue<string>());
        }));

        Assert.True(missing.Count == 0, $"{missing.Count} of {Tenants} tenants' feeds never showed their task's events: {string.Join(", ", missing)}");
    }

    /// <summary>The types of the task's events on the tenant's feed, read until its end shows or the time is up.</summary>
    private static async Task<List<string>> EventTypesOf(Session user, string taskId, TimeSpan limit)
    {
        var types = new List<string>();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            using var response = await user.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenant/events"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal)
                    && JsonNode.Parse(line[6..]) is JsonObject data
                    && data["taskId"]?.GetValue<string>() == taskId)
                {
                    types.Add(data["type"]?.GetValue<string>() ?? "task." + data["status"]?.GetValue<string>());
                    if (types[^1] == "task.succeeded")
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // The feed stays open; what came in time is the answer.
        }

        return types;
    }
}
