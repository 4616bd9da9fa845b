using OrleansCloud.Common;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tests.Tenants;

/// <summary>The tenant's task and job lists: chunks of bounded size, paged newest first by keyset, without Orleans.</summary>
public sealed class TenantJobIndexTests
{
    /// <summary>An index in memory with the grains' rules: chunks of <see cref="TenantIndexChunkState.Capacity"/>, a tail that moves on when one fills.</summary>
    private sealed class Index
    {
        private readonly List<TenantIndexChunkState> _chunks = [new()];

        public long Tail => _chunks.Count - 1;

        public void Add(string id, IndexedKind kind = IndexedKind.Task)
        {
            while (_chunks[^1].Append(new IndexEntry(id, kind), onlyFind: false).Outcome == IndexAppend.Full)
            {
                _chunks.Add(new());
            }
        }

        public bool Clear(string id) => _chunks.Any(c => c.Mark(id, clear: true, withdraw: false).Found);

        public Task<Page<string>> Tasks(string? token, int size) =>
            TenantIndexPaging.Page(Tail, token, size, e => e.OnTaskList, c => Task.FromResult<IReadOnlyList<IndexEntry>>(_chunks[(int)c].Entries));

        public Task<Page<string>> Jobs(string? token, int size) =>
            TenantIndexPaging.Page(Tail, token, size, e => e.OnJobList, c => Task.FromResult<IReadOnlyList<IndexEntry>>(_chunks[(int)c].Entries));

        public int LargestChunk => _chunks.Max(c => c.Entries.Count);
    }

    [Fact]
    public async Task TasksAndExternalJobs_AreListedNewestFirst_AndEachOnce()
    {
        var index = new Index();
        index.Add("tsk-1");
        index.Add("job-1", IndexedKind.ExternalJob);
        index.Add("tsk-2");
        index.Add("tsk-1");

        Assert.Equal(["tsk-2", "job-1", "tsk-1"], (await index.Jobs(null, 10)).Items);
        Assert.Equal(["tsk-2", "tsk-1"], (await index.Tasks(null, 10)).Items);
    }

    [Fact]
    public async Task ClearedJobs_AreLeftOut_AndPagesStillCoverTheRest()
    {
        var index = new Index();
        for (var i = 1; i <= 7; i++)
        {
            index.Add($"job-{i}", IndexedKind.ExternalJob);
        }

        Assert.True(index.Clear("job-6"));
        Assert.True(index.Clear("job-5"));
        Assert.False(index.Clear("job-unknown"));

        var first = await index.Jobs(null, 2);
        var second = await index.Jobs(first.NextPageToken, 2);
        var third = await index.Jobs(second.NextPageToken, 2);

        Assert.Equal(["job-7", "job-4"], first.Items);
        Assert.Equal(["job-3", "job-2"], second.Items);
        Assert.Equal(["job-1"], third.Items);
        Assert.Null(third.NextPageToken);
    }

    [Fact]
    public async Task PagesAcrossManyChunks_CoverEveryTaskOnceNewestFirst_AndNoChunkOutgrowsItsCapacity()
    {
        var index = new Index();
        const int count = 1000;
        for (var i = 0; i < count; i++)
        {
            index.Add($"tsk-{i:D4}");
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await index.Tasks(token, 37);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, count).Reverse().Select(i => $"tsk-{i:D4}"), seen);
        Assert.Equal(TenantIndexChunkState.Capacity, index.LargestChunk);
    }

    [Fact]
    public async Task APageToken_KeepsItsPlace_WhileNewTasksArrive()
    {
        var index = new Index();
        for (var i = 0; i < 100; i++)
        {
            index.Add($"tsk-{i:D3}");
        }

        var first = await index.Tasks(null, 10);
        for (var i = 100; i < 200; i++)
        {
            index.Add($"tsk-{i:D3}");
        }

        var second = await index.Tasks(first.NextPageToken, 10);

        Assert.Equal(Enumerable.Range(80, 10).Reverse().Select(i => $"tsk-{i:D3}"), second.Items);
    }

    [Fact]
    public void AWithdrawnEntry_IsShownAgain_WhenItsTaskIsListedAgain()
    {
        var chunk = new TenantIndexChunkState();
        chunk.Append(new IndexEntry("tsk-1", IndexedKind.Task), onlyFind: false);
        chunk.Mark("tsk-1", clear: false, withdraw: true);

        Assert.False(chunk.Entries[0].OnTaskList);
        Assert.Equal(IndexAppend.AlreadyThere, chunk.Append(new IndexEntry("tsk-1", IndexedKind.Task), onlyFind: true).Outcome);
        Assert.True(chunk.Entries[0].OnTaskList);
        Assert.Single(chunk.Entries);
    }

    [Fact]
    public void ATenantStoredWithLegacyLists_AnswersThemAsEntries_OldestFirst_AndForgetsThem()
    {
        var tenant = new TenantState
        {
            Exists = true,
            Tasks = ["tsk-1", "tsk-2"],
            Jobs = ["tsk-1", "job-1", "tsk-2"],
            JobsIndexed = true,
            ClearedJobs = ["tsk-1"],
        };

        Assert.Equal(
            [new IndexEntry("tsk-1", IndexedKind.Task, Cleared: true), new IndexEntry("job-1", IndexedKind.ExternalJob), new IndexEntry("tsk-2", IndexedKind.Task)],
            tenant.LegacyIndex());
        Assert.True(tenant.DropLegacyIndex());
        Assert.Empty(tenant.LegacyIndex());
        Assert.False(tenant.DropLegacyIndex());
    }

    [Fact]
    public void ATenantStoredBeforeTheJobList_AnswersItsTasksAsJobs()
    {
        var tenant = new TenantState { Exists = true, Tasks = ["tsk-1", "tsk-2"] };

        Assert.Equal([new IndexEntry("tsk-1", IndexedKind.Task), new IndexEntry("tsk-2", IndexedKind.Task)], tenant.LegacyIndex());
    }
}
