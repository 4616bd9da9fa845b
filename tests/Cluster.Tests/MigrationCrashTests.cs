using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orleans.Runtime;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// vm.migrate under a real SIGKILL: the control-plane silo running the migration dies between two
/// host steps. The saga resumes on the other silo and the VM ends on exactly one host, each host
/// step applied once, capacity allocated on one host and claimed on none.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class MigrationCrashTests(ProductionCluster cluster)
{
    private static readonly TimeSpan Healing = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KillingTheSiloMidMigration_LeavesTheVmOnExactlyOneHost()
    {
        var admin = await cluster.Admin();
        var (tenantId, username) = await admin.NewTenantWithUser();
        var user = await Session.SignIn(cluster.ApiUrl, username, Session.UserPassword);
        var created = await user.FinalTask(await user.Accepted(await user.CreateVm(tenantId, "mover", cpu: 2)), TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", created["status"]!.GetValue<string>());
        var vmId = created["result"]!["vmId"]!.GetValue<string>();
        var source = (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["host"]!.GetValue<string>();
        var before = await Hosts(admin);

        var taskId = await user.Accepted(await user.Http.PostAsJsonAsync($"/api/v1/tenant/vms/{vmId}/migrate", new { }));

        // Each host step takes seconds: kill the silo running the saga once the VM is stopped on the
        // source, while the target is receiving it.
        var stopped = Applied("StopVm", taskId, "stop", source);
        await Wait.Until(() => Task.FromResult(cluster.Agent.Count(stopped) == 1), "the source to stop the VM", TimeSpan.FromSeconds(30));
        var victim = cluster.SiloAt((await SiloHolding(taskId)).Endpoint.Port);
        victim.Kill();

        var task = await user.FinalTask(taskId, Healing);
        try
        {
            Assert.Equal("succeeded", task["status"]!.GetValue<string>());
            var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
            var target = vm["host"]!.GetValue<string>();
            Assert.NotEqual(source, target);
            Assert.Equal("running", vm["state"]!.GetValue<string>());

            // Every step applied exactly once, each on the host it belongs to, and nowhere else.
            await Wait.Until(() => Task.FromResult(cluster.Agent.Count(Applied("ReleaseVm", taskId, "release", source)) >= 1),
                "the agent's log of the release", TimeSpan.FromSeconds(5));
            Assert.Equal(1, cluster.Agent.Count(stopped));
            Assert.Equal(1, cluster.Agent.Count(Applied("ReceiveVm", taskId, "receive", target)));
            Assert.Equal(1, cluster.Agent.Count(Applied("StartVm", taskId, "start", target)));
            Assert.Equal(1, cluster.Agent.Count(Applied("ReleaseVm", taskId, "release", source)));
            Assert.Equal(4, cluster.Agent.Count(new Regex($@"Simulated \w+ applied: operation {Regex.Escape(taskId)}/")));

            // The capacity moved from the source to the target; nothing is left claimed anywhere.
            var after = await Hosts(admin);
            Assert.Equal(before[source].Allocated - 2, after[source].Allocated);
            Assert.Equal(before[target].Allocated + 2, after[target].Allocated);
            Assert.Equal(before.Values.Sum(h => h.Allocated), after.Values.Sum(h => h.Allocated));
            Assert.All(after.Values, h => Assert.Equal(0, h.Claimed));
            var quota = await user.GetJson("/api/v1/tenant/quota");
            Assert.Equal(2, quota["used"]!["vcpus"]!.GetValue<int>());
            Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());
        }
        finally
        {
            cluster.Replace(victim);
            await cluster.WaitUntilReady(Healing);
        }
    }

    private static Regex Applied(string operation, string taskId, string step, string host) =>
        new($@"Simulated {operation} applied: operation {Regex.Escape(taskId)}/{step} for \S+ on {Regex.Escape(host)}\b");

    private static async Task<Dictionary<string, (int Allocated, int Claimed)>> Hosts(Session admin)
    {
        var response = await admin.Http.GetAsync("/api/v1/admin/hosts");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var items = body is JsonArray array ? array : body["items"]!.AsArray();
        return items.ToDictionary(
            h => h!["hostName"]!.GetValue<string>(),
            h => (h!["allocated"]!["vcpus"]!.GetValue<int>(), h["claimed"]!["vcpus"]!.GetValue<int>()));
    }

    private async Task<SiloAddress> SiloHolding(string taskId)
    {
        DetailedGrainStatistic? found = null;
        await Wait.Until(async () =>
        {
            found = (await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                .FirstOrDefault(s => s.GrainId.ToString().StartsWith("task/", StringComparison.Ordinal) && s.GrainId.Key.ToString() == taskId);
            return found is not null;
        }, $"the activation of {taskId}", TimeSpan.FromSeconds(10));
        return found!.SiloAddress;
    }
}
