using OrleansCloud.Common;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;

namespace OrleansCloud.HostAgent.Tests.Operations;

/// <summary>
/// The host agent's concurrency: a stand-in driver whose operations finish only when the test says so
/// (no sleeps), recording which ran at the same time.
/// </summary>
public sealed class OperationLanesTests
{
    private sealed class GatedDriver
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, TaskCompletionSource> _release = [];
        private int _running;

        public List<string> Started { get; } = [];

        public int MostAtOnce { get; private set; }

        public Func<Task<HostOperationResult>> Operation(string id) => async () =>
        {
            TaskCompletionSource release;
            lock (_gate)
            {
                Started.Add(id);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                release = _release[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await release.Task;
            lock (_gate)
            {
                _running--;
            }

            return HostOperationResult.Success(id, [$"ran {id}"]);
        };

        public bool HasStarted(string id)
        {
            lock (_gate)
            {
                return Started.Contains(id);
            }
        }

        public void Finish(string id)
        {
            lock (_gate)
            {
                _release[id].SetResult();
            }
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Yield();
            await Task.Delay(1);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task OperationsOnTwoVms_RunAtTheSameTime()
    {
        var lanes = new OperationLanes(maxParallel: 8);
        var driver = new GatedDriver();

        var a = lanes.Run("op-a", "vm/a", driver.Operation("op-a"));
        var b = lanes.Run("op-b", "vm/b", driver.Operation("op-b"));

        await Until(() => driver.HasStarted("op-a") && driver.HasStarted("op-b"));
        Assert.Equal(2, lanes.Running);
        driver.Finish("op-b");
        driver.Finish("op-a");
        Assert.True((await a).Succeeded && (await b).Succeeded);
        Assert.Equal(2, driver.MostAtOnce);
    }

    [Fact]
    public async Task OperationsOnOneVm_RunOneAtATime_InArrivalOrder()
    {
        var lanes = new OperationLanes(maxParallel: 8);
        var driver = new GatedDriver();

        var first = lanes.Run("op-1", "vm/a", driver.Operation("op-1"));
        var second = lanes.Run("op-2", "vm/a", driver.Operation("op-2"));
        var third = lanes.Run("op-3", "vm/a", driver.Operation("op-3"));

        await Until(() => driver.HasStarted("op-1"));
        await Task.Delay(20);
        Assert.False(driver.HasStarted("op-2"));
        driver.Finish("op-1");
        await Until(() => driver.HasStarted("op-2"));
        Assert.False(driver.HasStarted("op-3"));
        driver.Finish("op-2");
        await Until(() => driver.HasStarted("op-3"));
        driver.Finish("op-3");
        await Task.WhenAll(first, second, third);
        Assert.Equal(["op-1", "op-2", "op-3"], driver.Started);
        Assert.Equal(1, driver.MostAtOnce);
    }

    [Fact]
    public async Task ManyVms_NeverRunMoreThanTheLimit()
    {
        var lanes = new OperationLanes(maxParallel: 3);
        var driver = new GatedDriver();

        var runs = Enumerable.Range(0, 10).Select(i => lanes.Run($"op-{i}", $"vm/{i}", driver.Operation($"op-{i}"))).ToList();
        await Until(() => driver.Started.Count == 3);
        await Task.Delay(20);
        Assert.Equal(3, driver.Started.Count);

        for (var i = 0; i < 10; i++)
        {
            await Until(() => driver.HasStarted($"op-{i}"));
            driver.Finish($"op-{i}");
        }

        await Task.WhenAll(runs);
        Assert.Equal(3, driver.MostAtOnce);
        Assert.Equal(0, lanes.Running);
    }

    [Fact]
    public async Task ARepeatInFlight_IsJoined_AndARepeatAfterSuccess_IsAnsweredFromMemory()
    {
        var lanes = new OperationLanes(maxParallel: 8);
        var driver = new GatedDriver();

        var first = lanes.Run("op-1", "vm/a", driver.Operation("op-1"));
        var joined = lanes.Run("op-1", "vm/a", () => throw new InvalidOperationException("run twice"));
        await Until(() => driver.HasStarted("op-1"));
        driver.Finish("op-1");

        Assert.Same(await first, await joined);
        var remembered = await lanes.Run("op-1", "vm/a", () => throw new InvalidOperationException("run twice"));
        Assert.Same(await first, remembered);
        Assert.Equal(["op-1"], driver.Started);
    }

    [Fact]
    public async Task AFailure_IsRunAgainOnRepeat()
    {
        var lanes = new OperationLanes(maxParallel: 2);
        var runs = 0;

        Task<HostOperationResult> Fail() =>
            Task.FromResult(HostOperationResult.Failure("op-1", ErrorCodes.HostOperationFailed, $"try {++runs}", retryable: true, []));

        Assert.False((await lanes.Run("op-1", "vm/a", Fail)).Succeeded);
        Assert.False((await lanes.Run("op-1", "vm/a", Fail)).Succeeded);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Lanes_AreTheVmOrTheNetwork()
    {
        Assert.Equal("vm/vm-1", OperationLanes.LaneOf(new StartVm("op", "vm-1")));
        Assert.Equal("network/net-1", OperationLanes.LaneOf(new RemoveNetwork("op", "net-1")));
    }
}
