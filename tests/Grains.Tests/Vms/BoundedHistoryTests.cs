using Orleans.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansCloud.Common;
using OrleansCloud.Events;
using OrleansCloud.Grains.Events;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Grains.Vms;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Vms;

/// <summary>A VM's record of applied transitions and a tenant's event log stay bounded however long the history, and replays are still answered.</summary>
public sealed class BoundedHistoryTests(FaultyStorageClusterFixture fixture) : IClassFixture<FaultyStorageClusterFixture>
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task AVmStoppedAndStartedManyTimes_KeepsABoundedRecord_AndStillAnswersItsLatestTasksReplay()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var create = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(create).Submit(Create(tenantId, Vm("busy-life")));
        var vmId = (await Final(_grains, create)).Result!.VmId!;
        string last = "";
        for (var i = 0; i < 30; i++)
        {
            foreach (var request in new[] { Stop(tenantId, vmId), Start(tenantId, vmId) })
            {
                last = NewId("tsk");
                Assert.True((await _grains.GetGrain<ITaskGrain>(last).Submit(request)).IsSuccess);
                Assert.Equal(TaskState.Succeeded, (await Final(_grains, last)).State);
            }
        }

        var stored = new GrainState<VmGrainState>(new VmGrainState());
        await fixture.Storage.ReadStateAsync("vm", _grains.GetGrain<IVmGrain>(vmId).GetGrainId(), stored);
        var replay = await _grains.GetGrain<IVmGrain>(vmId).Apply(VmTrigger.Started, new VmUpdate(last));

        Assert.InRange(stored.State!.RecentApplied.Count, 1, VmGrainState.MaxApplied);
        Assert.Empty(stored.State!.LegacyApplied);
        Assert.True(replay.IsSuccess, replay.Error?.Message);
        Assert.Equal(VmState.Running, replay.Value!.State);
    }

    [Fact]
    public void AVmStoredWithTheWholeHistory_KeepsWhatItsLiveTasksMayReplay_AndForgetsTheRest()
    {
        var state = new VmGrainState { Exists = true, LastTaskId = "tsk-9", State = VmState.Running };
        for (var i = 0; i < 10; i++)
        {
            state.LegacyApplied.Add($"tsk-{i}/{VmTrigger.Started}");
        }

        state.RecordApplied("tsk-10", VmTrigger.Stopped);

        Assert.True(state.WasApplied("tsk-9", VmTrigger.Started));
        Assert.True(state.WasApplied("tsk-10", VmTrigger.Stopped));
        Assert.False(state.WasApplied("tsk-3", VmTrigger.Started));
        Assert.Empty(state.LegacyApplied);
        Assert.Equal(2, state.RecentApplied.Count);
    }

    [Fact]
    public void TheEventLog_KeepsItsWindow_DropsRedeliveries_AndItsStoredSizeStaysFlat()
    {
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(TenantEventLogState).Assembly).AddAssembly(typeof(TenantEvent).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        var storage = new OrleansGrainStorageSerializer(serializer);
        var log = new TenantEventLogState { SeenIds = ["legacy-1"] };
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        TenantEvent Event(int i) => new($"tsk-{i:D6}:1", "t1", "task.running", $"tsk-{i:D6}", null, "running", "dispatched", at);
        var sizes = new List<int>();
        for (var i = 0; i < 5000; i++)
        {
            Assert.True(log.Append(Event(i), TenantEventLogGrain.Capacity));
            if (i is 999 or 4999)
            {
                sizes.Add(storage.Serialize(log).ToArray().Length);
            }
        }

        Assert.False(log.Append(Event(4990), TenantEventLogGrain.Capacity));
        Assert.Equal(TenantEventLogGrain.Capacity, log.Events.Count);
        Assert.Equal(5000, log.LastSequence);
        Assert.Empty(log.SeenIds);
        Assert.InRange(sizes[1], sizes[0] - 100, sizes[0] + 100);
    }
}
