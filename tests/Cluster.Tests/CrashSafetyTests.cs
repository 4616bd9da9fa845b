using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orleans.Runtime;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// The production topology under failure: a silo killed mid-saga, every process restarted, parallel
/// requests over both silos, a database outage. Real processes, real PostgreSQL, real SIGKILL.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class CrashSafetyTests(ProductionCluster cluster)
{
    private static readonly TimeSpan Healing = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TwoSilos_CompleteAVmCreate_AndSettleTheQuota()
    {
        var (tenantId, user) = await NewTenantUser();

        var taskId = await user.Accepted(await user.CreateVm(tenantId, "first"));
        var task = await user.FinalTask(taskId, TimeSpan.FromSeconds(60));

        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        var vm = await user.GetJson($"/api/v1/tenant/vms/{task["result"]!["vmId"]!.GetValue<string>()}");
        Assert.Equal("running", vm["state"]!.GetValue<string>());
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(1, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vms"]!.GetValue<int>());
    }

    [Fact]
    public async Task KillingTheSiloThatRunsATask_StillEndsItExactlyOnce()
    {
        var (tenantId, user) = await NewTenantUser();
        var taskId = await user.Accepted(await user.CreateVm(tenantId, "survivor", cpu: 2));

        // The host operation takes seconds; catch the saga while it waits on the agent.
        await Wait.Until(async () => (await user.GetJson($"/api/v1/tenant/tasks/{taskId}"))["status"]!.GetValue<string>() == "running",
            "the task to be running", TimeSpan.FromSeconds(10));
        var owner = await SiloHolding(taskId);
        var victim = cluster.SiloAt(owner.Endpoint.Port);
        victim.Kill();

        var task = await user.FinalTask(taskId, Healing);

        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        var vmId = task["result"]!["vmId"]!.GetValue<string>();
        var applied = new Regex($@"Simulated CreateVm applied: operation {Regex.Escape(taskId)}/main\b");
        await Wait.Until(() => Task.FromResult(cluster.Agent.Count(applied) >= 1), "the agent's log line", TimeSpan.FromSeconds(5));
        Assert.Equal(1, cluster.Agent.Count(applied));
        var vm = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.Equal("running", vm["state"]!.GetValue<string>());
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(2, quota["used"]!["vcpus"]!.GetValue<int>());
        Assert.Equal(1, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vcpus"]!.GetValue<int>());
        Assert.Single(task["steps"]!.AsArray(), s => s!["type"]!.GetValue<string>() == "FINALIZING");

        cluster.Replace(victim);
        await cluster.WaitUntilReady(Healing);
    }

    [Fact]
    public async Task ParallelCreates_OverBothSilos_NeverExceedTheQuota()
    {
        var (tenantId, user) = await NewTenantUser(vcpus: 5, vms: 5);

        var keys = Enumerable.Range(0, 30).Select(i => $"parallel-{i}").ToList();
        var responses = await Task.WhenAll(keys.Select((key, i) => user.CreateVm(tenantId, $"p{i}", idempotencyKey: key)));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(5, accepted.Count);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"{(int)refused.StatusCode}: {problem}");
            Assert.Equal("ERR_QUOTA_EXCEEDED", problem["code"]!.GetValue<string>());
        }

        var taskIds = await Task.WhenAll(accepted.Select(user.Accepted));
        var finals = await Task.WhenAll(taskIds.Select(id => user.FinalTask(id, TimeSpan.FromSeconds(90))));
        Assert.All(finals, t => Assert.Equal("succeeded", t["status"]!.GetValue<string>()));
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(5, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vms"]!.GetValue<int>());

        // The requests came through both silos' gateways, but the thirty task grains (accepted or refused)
        // were placed together on the tenant's silo (tenant placement), beside the tenant that held the quota.
        var ids = keys.Select(key => TaskIdFor(tenantId, key)).ToHashSet();
        var silos = (await TaskActivations()).Where(s => ids.Contains(s.GrainId.Key.ToString()!)).Select(s => s.SiloAddress).Distinct().Count();
        Assert.Equal(1, silos);
    }

    [Fact]
    public async Task RestartingEveryProcess_KeepsTenantsVmsTasksAndQuota()
    {
        var (tenantId, user) = await NewTenantUser();
        var taskId = await user.Accepted(await user.CreateVm(tenantId, "durable", cpu: 3));
        var before = await user.FinalTask(taskId, TimeSpan.FromSeconds(60));
        var vmId = before["result"]!["vmId"]!.GetValue<string>();
        var vmBefore = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        var quotaBefore = await user.GetJson("/api/v1/tenant/quota");

        cluster.StopAll();
        await cluster.RestartAll();
        var again = await Session.SignIn(cluster.ApiUrl, await UserOf(tenantId), Session.UserPassword);

        Assert.Equal(before.ToJsonString(), (await again.GetJson($"/api/v1/tenant/tasks/{taskId}")).ToJsonString());
        Assert.Equal(vmBefore.ToJsonString(), (await again.GetJson($"/api/v1/tenant/vms/{vmId}")).ToJsonString());
        Assert.Equal(quotaBefore.ToJsonString(), (await again.GetJson("/api/v1/tenant/quota")).ToJsonString());
        var tenants = await (await cluster.Admin()).GetJson("/api/v1/admin/tenants");
        Assert.Contains(tenants["items"]!.AsArray(), t => t!["tenantId"]!.GetValue<string>() == tenantId);

        // And the restarted cluster works.
        var next = await again.Accepted(await again.CreateVm(tenantId, "after-restart"));
        Assert.Equal("succeeded", (await again.FinalTask(next, TimeSpan.FromSeconds(60)))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ADatabaseOutage_IsA503Problem_AndTheClusterRecoversByItself()
    {
        var (tenantId, user) = await NewTenantUser();
        await user.GetJson("/api/v1/tenant/quota");

        Postgres.Stop();
        HttpResponseMessage during;
        try
        {
            during = await user.CreateVm(tenantId, "in-the-dark");
        }
        finally
        {
            Postgres.Start(DatabaseName());
        }

        var problem = JsonNode.Parse(await during.Content.ReadAsStringAsync())!;
        Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)during.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ERR_UNAVAILABLE", problem["code"]!.GetValue<string>());

        string? taskId = null;
        await Wait.Until(async () =>
        {
            var response = await user.CreateVm(tenantId, "after-the-dark");
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                taskId = await user.Accepted(response);
            }

            return taskId is not null;
        }, "a vm.create to be accepted again", Healing);
        Assert.Equal("succeeded", (await user.FinalTask(taskId!, TimeSpan.FromSeconds(90)))["status"]!.GetValue<string>());
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal(1, quota["used"]!["vms"]!.GetValue<int>());
        Assert.Equal(0, quota["held"]!["vms"]!.GetValue<int>());
    }

    private readonly Dictionary<string, string> _users = [];

    /// <summary>api.md's idempotency rule as the API implements it: the key names one task per tenant.</summary>
    private static string TaskIdFor(string tenantId, string key) =>
        "tsk-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tenantId}\n{key}")))[..32];

    private async Task<(string TenantId, Session User)> NewTenantUser(int vcpus = 8, int vms = 10)
    {
        var admin = await cluster.Admin();
        var (tenantId, username) = await admin.NewTenantWithUser(vcpus: vcpus, vms: vms);
        _users[tenantId] = username;
        return (tenantId, await Session.SignIn(cluster.ApiUrl, username, Session.UserPassword));
    }

    private Task<string> UserOf(string tenantId) => Task.FromResult(_users[tenantId]);

    private string DatabaseName() =>
        cluster.ConnectionString.Split(';').Select(p => p.Split('=', 2)).Single(p => p[0] == "Database")[1];

    private async Task<DetailedGrainStatistic[]> TaskActivations() =>
        (await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(s => s.GrainId.ToString().StartsWith("task/", StringComparison.Ordinal))
            .ToArray();

    private async Task<SiloAddress> SiloHolding(string taskId)
    {
        DetailedGrainStatistic? found = null;
        await Wait.Until(async () =>
        {
            found = (await TaskActivations()).FirstOrDefault(s => s.GrainId.Key.ToString() == taskId);
            return found is not null;
        }, $"the activation of {taskId}", TimeSpan.FromSeconds(10));
        return found!.SiloAddress;
    }
}
