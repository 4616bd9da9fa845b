using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansCloud.Common;
using OrleansCloud.Grains.Jobs;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tests.Serialization;

/// <summary>
/// What crosses process boundaries (API to silo, silo to silo, state to PostgreSQL) survives the
/// Orleans serializer unchanged, shared instances included.
/// </summary>
public sealed class WireRoundTripTests
{
    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(QuotaView).Assembly).AddAssembly(typeof(TenantState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;

    [Fact]
    public void QuotaView_WithTheSameZeroTwice_KeepsEachField()
    {
        var view = new QuotaView(new ResourceAmount(8, 16384, 200, 10), ResourceAmount.Zero, ResourceAmount.Zero);

        Assert.Equal(view, RoundTrip(view));
        Assert.Equal(view, RoundTrip(Result<QuotaView>.Ok(view)).Value);
    }

    [Fact]
    public void QuotaView_WithDistinctAmounts_KeepsEachField()
    {
        var view = new QuotaView(new ResourceAmount(8, 16384, 200, 10), new ResourceAmount(2, 2048, 20, 1), new ResourceAmount(1, 512, 5, 1));

        Assert.Equal(view, RoundTrip(view));
    }

    [Fact]
    public void TenantState_ThroughTheGrainStorageSerializer_KeepsLedger_AndLeavesSharedValuesAlone()
    {
        var storage = new OrleansGrainStorageSerializer(_serializer);
        var now = DateTimeOffset.UtcNow;
        var state = new TenantState { Exists = true, Name = "Test", Limits = new ResourceAmount(8, 16384, 200, 10), Version = 3 };
        Assert.True(state.TryHold(new HoldRequest("t1", new ResourceAmount(2, 2048, 20, 1), TimeSpan.FromMinutes(5), "vm", "web"), now).IsSuccess);
        Assert.True(state.TryHold(new HoldRequest("t2", new ResourceAmount(1, 1024, 10, 1), TimeSpan.FromMinutes(5), "vm", "db"), now).IsSuccess);
        Assert.True(state.Commit("t2", "vm-2", now).IsSuccess);

        var back = storage.Deserialize<TenantState>(storage.Serialize(state))!;

        Assert.Equal(state.Limits, back.Limits);
        Assert.Equal(new ResourceAmount(1, 1024, 10, 1), back.Used);
        Assert.Equal(new ResourceAmount(2, 2048, 20, 1), back.HeldAt(now));
        Assert.Equal(state.Names, back.Names);
        Assert.Equal(3, back.Version);
        Assert.Equal(new ResourceAmount(0, 0, 0, 0), ResourceAmount.Zero);
    }

    [Fact]
    public void ExternalJobState_AndTheTenantsJobList_ThroughTheGrainStorageSerializer_KeepEveryField()
    {
        var storage = new OrleansGrainStorageSerializer(_serializer);
        var now = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        var job = new ExternalJobState();
        job.Start(new JobStart("t1", "nightly backup", "backup.run", "ops", AutoCleared: true), now);
        var step = job.AddStep("job-1", new JobStepStart(StepType.Finalizing, "verify", null), now.AddSeconds(1)).Value!;
        job.EndStep(step.StepId, succeeded: false, now.AddSeconds(2));
        var chunk = new TenantIndexChunkState();
        chunk.Append(new IndexEntry("tsk-1", IndexedKind.Task), onlyFind: false);
        chunk.Append(new IndexEntry("job-1", IndexedKind.ExternalJob), onlyFind: false);
        chunk.Mark("tsk-1", clear: true, withdraw: false);
        var legacy = new TenantState { Exists = true, Tasks = ["tsk-1"], Jobs = ["tsk-1", "job-1"], JobsIndexed = true, ClearedJobs = ["tsk-1"] };

        var backJob = storage.Deserialize<ExternalJobState>(storage.Serialize(job))!;
        var backChunk = storage.Deserialize<TenantIndexChunkState>(storage.Serialize(chunk))!;
        var backLegacy = storage.Deserialize<TenantState>(storage.Serialize(legacy))!;

        Assert.Equal(job.View("job-1") with { Steps = [] }, backJob.View("job-1") with { Steps = [] });
        Assert.Equal(job.Steps, backJob.Steps);
        Assert.Equal(chunk.Entries, backChunk.Entries);
        Assert.Equal(legacy.LegacyIndex(), backLegacy.LegacyIndex());
    }
}
