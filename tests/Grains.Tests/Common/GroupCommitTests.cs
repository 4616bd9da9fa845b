using OrleansCloud.Grains.Common;

namespace OrleansCloud.Grains.Tests.Common;

/// <summary>
/// Group commit on a single-threaded scheduler, as a grain runs it: calls that change the state while a
/// write is in flight share the next write, and none is answered before a write that began after its change.
/// </summary>
public sealed class GroupCommitTests
{
    private readonly TaskScheduler _grain = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    [Fact]
    public async Task CallsDuringAWrite_ShareTheNextWrite_AndNoneIsAnsweredBeforeItsWrite()
    {
        var storage = new GatedState();
        var commits = new GroupCommit<int>(storage, x => x, () => { });

        var first = OnGrain(() => commits.Commit());
        await storage.WriteStarted(1);
        var later = Enumerable.Range(0, 10).Select(_ => OnGrain(() => commits.Commit())).ToList();
        await Task.Delay(50);

        Assert.False(first.IsCompleted);
        storage.Finish(1);
        await first;
        await storage.WriteStarted(2);
        Assert.All(later, t => Assert.False(t.IsCompleted, "answered before the write that holds its change"));
        storage.Finish(2);
        await Task.WhenAll(later);
        Assert.Equal(2, commits.Writes);
        Assert.Equal(2, storage.Started);
    }

    [Fact]
    public async Task ACallThatChangedNothing_WaitsForTheWriteOfWhatCameBefore_AndAQuietOneDoesNot()
    {
        var storage = new GatedState();
        var commits = new GroupCommit<int>(storage, x => x, () => { });

        var change = OnGrain(() => commits.Commit());
        await storage.WriteStarted(1);
        var repeat = OnGrain(() => commits.Flushed());
        await Task.Delay(50);

        Assert.False(repeat.IsCompleted, "a repeat answered while the change it repeats could still be lost");
        storage.Finish(1);
        await Task.WhenAll(change, repeat);
        await OnGrain(() => commits.Flushed()).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, commits.Writes);
    }

    [Fact]
    public async Task AFailedWrite_FailsItsWaiters_AndEveryLaterCall_AndAsksToDeactivate()
    {
        var storage = new GatedState();
        var broken = 0;
        var commits = new GroupCommit<int>(storage, x => x, () => broken++);

        var first = OnGrain(() => commits.Commit());
        await storage.WriteStarted(1);
        storage.Fail(1, new TimeoutException("storage down"));

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => OnGrain(() => commits.Commit()));
        Assert.Equal(1, broken);
        Assert.Equal(1, storage.Started);
    }

    [Fact]
    public async Task AQuietGrain_WritesOncePerCall()
    {
        var storage = new GatedState { Immediate = true };
        var commits = new GroupCommit<int>(storage, x => x, () => { });

        for (var i = 0; i < 5; i++)
        {
            await OnGrain(() => commits.Commit());
        }

        Assert.Equal(5, commits.Writes);
    }

    private Task OnGrain(Func<Task> call) => Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.None, _grain).Unwrap();

    /// <summary>A grain state whose writes finish when the test says so.</summary>
    private sealed class GatedState : IPersistentState<int>
    {
        private readonly List<TaskCompletionSource> _writes = [];
        private readonly List<TaskCompletionSource> _started = [];

        public bool Immediate { get; init; }

        public int Started
        {
            get { lock (_writes) { return _writes.Count; } }
        }

        public int State { get; set; }

        public string? Etag => null;

        public bool RecordExists => true;

        public Task WriteStateAsync()
        {
            if (Immediate)
            {
                lock (_writes) { _writes.Add(new TaskCompletionSource()); }
                return Task.CompletedTask;
            }

            var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_writes)
            {
                _writes.Add(write);
                Gate(_writes.Count).TrySetResult();
            }

            return write.Task;
        }

        public Task WriteStarted(int n) => Gate(n).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Finish(int n) => _writes[n - 1].SetResult();

        public void Fail(int n, Exception ex) => _writes[n - 1].SetException(ex);

        public Task ClearStateAsync() => Task.CompletedTask;

        public Task ReadStateAsync() => Task.CompletedTask;

        private TaskCompletionSource Gate(int n)
        {
            lock (_started)
            {
                while (_started.Count < n)
                {
                    _started.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return _started[n - 1];
            }
        }
    }
}
