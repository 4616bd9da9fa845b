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
    public void TheEventLog_KeepsItsWindow_DropsRedeliveries_AndItsStoredHeadStaysWithinAChunk()
    {
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(TenantEventLogState).Assembly).AddAssembly(typeof(TenantEvent).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        var storage = new OrleansGrainStorageSerializer(serializer);
        var head = new TenantEventLogState { SeenIds = ["legacy-1"] };
        var window = new EventWindow(TenantEventLogGrain.Capacity);
        var sealedChunks = new Dictionary<long, int>();
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        TenantEvent Event(int i) => new($"tsk-{i:D6}:1", "t1", "task.running", $"tsk-{i:D6}", null, "running", "dispatched", at);
        var largest = 0;
        for (var i = 0; i < 5000; i++)
        {
            Assert.False(window.Holds(Event(i).EventId));
            head.LastSequence++;
            var item = new SequencedEvent(head.LastSequence, Event(i));
            head.Events.Add(item);
            window.Add(item);
            if (i % 7 == 0 || i == 4999)
            {
                // A flush: complete chunks are sealed once each, then the head is written.
                var through = head.SealableThrough(TenantEventLogGrain.ChunkSize);
                foreach (var (chunk, events) in head.CompleteChunks(through, TenantEventLogGrain.ChunkSize))
                {
                    Assert.True(sealedChunks.TryAdd(chunk, events.Count));
                }

                head.MarkSealed(through);
                largest = Math.Max(largest, storage.Serialize(head).ToArray().Length);
            }
        }

        Assert.True(window.Holds(Event(4990).EventId));
        Assert.Equal(TenantEventLogGrain.Capacity, window.Events.Count);
        Assert.Equal(4001, window.Events[0].Sequence);
        Assert.Equal(5000, head.LastSequence);
        Assert.Equal(5000, head.SealedThrough);
        Assert.Empty(head.Events);
        Assert.Empty(head.SeenIds);
        Assert.Equal(50, sealedChunks.Count);
        Assert.All(sealedChunks.Values, count => Assert.Equal(TenantEventLogGrain.ChunkSize, count));
        Assert.InRange(largest, 1, 20_000);
    }

    [Fact]
    public void ALegacyEventLogHead_IsSealedIntoChunks_OnItsFirstFlush()
    {
        var head = new TenantEventLogState { LastSequence = 5050 };
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        for (var sequence = 4051; sequence <= 5050; sequence++)
        {
            head.Events.Add(new SequencedEvent(sequence, new TenantEvent($"e{sequence}", "t1", "task.running", "tsk", null, "running", "m", at)));
        }

        var through = head.SealableThrough(TenantEventLogGrain.ChunkSize);
        var chunks = head.CompleteChunks(through, TenantEventLogGrain.ChunkSize);
        head.MarkSealed(through);

        Assert.Equal(Enumerable.Range(40, 10).Select(n => (long)n), chunks.Select(c => c.Chunk));
        Assert.Equal(50, chunks[0].Events.Count);
        Assert.Equal(5000, head.SealedThrough);
        Assert.Equal(50, head.Events.Count);
        Assert.Equal(5001, head.Events[0].Sequence);
    }

    [Fact]
    public void EventsAppendedWhileAFlushWritesItsChunks_StayOpen_AndTheNextFlushSealsThem()
    {
        var head = new TenantEventLogState();
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        void Append(int count)
        {
            for (var i = 0; i < count; i++)
            {
                head.LastSequence++;
                head.Events.Add(new SequencedEvent(head.LastSequence, new TenantEvent($"e{head.LastSequence}", "t1", "task.running", "tsk", null, "running", "m", at)));
            }
        }

        Append(150);
        var through = head.SealableThrough(TenantEventLogGrain.ChunkSize);
        var sealing = head.CompleteChunks(through, TenantEventLogGrain.ChunkSize);

        // The chunk writes are in flight: appends interleave, and cross the next chunk's boundary.
        Append(80);
        head.MarkSealed(through);

        Assert.Equal(100, through);
        Assert.Equal([0L], sealing.Select(c => c.Chunk));
        Assert.Equal(100, head.SealedThrough);
        Assert.Equal(Enumerable.Range(101, 130).Select(n => (long)n), head.Events.Select(e => e.Sequence));

        var next = head.SealableThrough(TenantEventLogGrain.ChunkSize);
        Assert.Equal([1L], head.CompleteChunks(next, TenantEventLogGrain.ChunkSize).Select(c => c.Chunk));
        head.MarkSealed(next);
        Assert.Equal(Enumerable.Range(201, 30).Select(n => (long)n), head.Events.Select(e => e.Sequence));
    }
}
