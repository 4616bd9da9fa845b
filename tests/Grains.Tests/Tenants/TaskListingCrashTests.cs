using Orleans.Core.Internal;
using Orleans.Storage;
using OrleansCloud.Common;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Tenants;

/// <summary>
/// A task is on its tenant's lists exactly when it exists: listed before it is accepted, withdrawn when
/// an interrupted submission is abandoned, listed again by the watchdog's pass. Crashes are lost writes.
/// </summary>
public sealed class TaskListingCrashTests(FaultyStorageClusterFixture fixture) : IClassFixture<FaultyStorageClusterFixture>
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task ASubmissionCutOffAfterItsListing_IsListedOnce_WhenItsRetryIsAccepted()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");
        fixture.Storage.FailNextWrite(AcceptanceOf(taskId));
        var request = Create(tenantId, Vm("cut-off"));

        await Assert.ThrowsAnyAsync<Exception>(() => _grains.GetGrain<ITaskGrain>(taskId).Submit(request));
        var retried = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);

        Assert.True(retried.IsSuccess, retried.Error?.Message);
        Assert.Equal([taskId], await AllTasks(tenantId));
        Assert.Equal(TaskState.Succeeded, (await Final(_grains, taskId)).State);
        Assert.Equal([taskId], await AllTasks(tenantId));
        Assert.Equal([taskId], (await _grains.GetGrain<ITenantIndexGrain>(tenantId).ListJobs(null, 100)).Items);
    }

    [Fact]
    public async Task ASubmissionCutOffAfterItsListing_IsNotListed_OnceTheWatchdogAbandonsIt()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");
        fixture.Storage.FailNextWrite(AcceptanceOf(taskId));

        await Assert.ThrowsAnyAsync<Exception>(() => _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("abandoned"))));
        await _grains.GetGrain<ITaskGrain>(taskId).Resume();

        Assert.Empty(await AllTasks(tenantId));
        Assert.False((await _grains.GetGrain<ITaskGrain>(taskId).Get(null)).IsSuccess);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Held);
    }

    [Fact]
    public async Task AnAcceptedTaskMissingFromItsList_IsListedAgain_ByTheWatchdogPassAfterARestart()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("relisted")))).IsSuccess);
        await Final(_grains, taskId);
        await _grains.GetGrain<ITenantIndexGrain>(tenantId).Withdraw(taskId, 0);
        Assert.Empty(await AllTasks(tenantId));

        await _grains.GetGrain<ITaskGrain>(taskId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await _grains.GetGrain<ITaskGrain>(taskId).Resume();

        Assert.Equal([taskId], await AllTasks(tenantId));
    }

    [Fact]
    public async Task ManyTasks_PageNewestFirst_AcrossChunks_EachOnce()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(1000, 1_000_000, 100_000, 1000));
        var ids = new List<string>();
        for (var i = 0; i < TenantIndexChunkState.Capacity + 10; i++)
        {
            var taskId = $"tsk-{tenantId}-{i:D3}";
            var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm($"many-{i}", ramMb: 128, diskGb: 1)));
            Assert.True(submitted.IsSuccess, submitted.Error?.Message);
            ids.Add(taskId);
        }

        ids.Reverse();
        Assert.Equal(ids, await AllTasks(tenantId, pageSize: 7));
    }

    [Fact]
    public async Task ATenantStoredWithItsListsInItsState_HasThemImported_AndForgetsThem()
    {
        var tenantId = NewId("t");
        var legacy = new TenantState
        {
            Exists = true,
            Name = "Legacy",
            Limits = new ResourceAmount(8, 16384, 200, 10),
            Tasks = [.. Enumerable.Range(0, 100).Select(i => $"tsk-old-{i}")],
            Jobs = [.. Enumerable.Range(0, 100).Select(i => $"tsk-old-{i}"), "job-old-1"],
            JobsIndexed = true,
            ClearedJobs = ["tsk-old-99"],
        };
        var tenant = _grains.GetGrain<ITenantGrain>(tenantId);
        await fixture.Storage.WriteStateAsync("tenant", tenant.GetGrainId(), new GrainState<TenantState>(legacy));

        var tasks = await _grains.GetGrain<ITenantIndexGrain>(tenantId).ListTasks(null, 3);
        var jobs = await _grains.GetGrain<ITenantIndexGrain>(tenantId).ListJobs(null, 3);

        Assert.Equal(["tsk-old-99", "tsk-old-98", "tsk-old-97"], tasks.Items);
        Assert.Equal(["job-old-1", "tsk-old-98", "tsk-old-97"], jobs.Items);
        Assert.Empty(await tenant.LegacyIndex());
        Assert.True((await tenant.Get()).IsSuccess);
    }

    private static Func<GrainId, object, bool> AcceptanceOf(string taskId) =>
        (grain, state) => grain.Key.ToString() == taskId && state is TaskGrainState { Accepted: true };

    private async Task<List<string>> AllTasks(string tenantId, int pageSize = 100)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await _grains.GetGrain<ITenantIndexGrain>(tenantId).ListTasks(token, pageSize);
            var visible = await Task.WhenAll(page.Items.Select(async id => (id, (await _grains.GetGrain<ITaskGrain>(id).Get(null)).IsSuccess)));
            Assert.All(visible, v => Assert.True(v.Item2, $"{v.id} is listed but does not exist"));
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
