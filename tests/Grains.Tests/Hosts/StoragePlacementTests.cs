using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Tests.Hosts;

/// <summary>Which pool a disk goes on, and elections that skip hosts whose pool is full; without Orleans.</summary>
public sealed class StoragePlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly ResourceAmount Big = new(16, 65536, 2000, 100);

    private static StoragePoolRoom Pool(string name, long freeGb, long committedGb = 0) =>
        new(new StoragePoolInfo(name, $"/pools/{name}", 1000, freeGb), committedGb);

    private static HostSnapshot Host(string name, params StoragePoolRoom[] pools) =>
        new(name, "default", "simulated", HostState.Up, Big, ResourceAmount.Zero, ResourceAmount.Zero, ["vm"], Now, 0, pools);

    private static PlacementRequest Disk(long gb, string? pool = null) => new(new ResourceAmount(1, 512, gb, 1), ["vm"], null, null, pool);

    private static IReadOnlyList<string> Elect(PlacementRequest request, params HostSnapshot[] hosts)
    {
        var view = new PlacementView(0.05, new Random(7));
        foreach (var host in hosts)
        {
            view.Upsert(host, 1);
        }

        return view.Elect(request, 10, Now, MaxAge);
    }

    [Fact]
    public void Choose_TakesTheNamedPool_ElseTheFirstReported_AndNoneWithoutPools()
    {
        IReadOnlyList<StoragePoolRoom> pools = [Pool("local", 100), Pool("images", 500)];

        Assert.Equal("images", StoragePlacement.Choose(pools, "images")!.Pool.Name);
        Assert.Equal("local", StoragePlacement.Choose(pools, "elsewhere")!.Pool.Name);
        Assert.Equal("local", StoragePlacement.Choose(pools, null)!.Pool.Name);
        Assert.Null(StoragePlacement.Choose([], "images"));
        Assert.Null(StoragePlacement.Choose(null, null));
    }

    [Theory]
    [InlineData(100, 0, 100, true)]
    [InlineData(100, 0, 101, false)]
    [InlineData(100, 60, 40, true)]
    [InlineData(100, 60, 41, false)]
    [InlineData(10, 20, 0, true)]
    public void HasRoom_CountsWhatIsCommittedAgainstTheReportedFreeSpace(long freeGb, long committedGb, long diskGb, bool fits) =>
        Assert.Equal(fits, StoragePlacement.HasRoom([Pool("p", freeGb, committedGb)], "p", diskGb));

    [Fact]
    public void HasRoom_OfAHostWithoutPools_IsLeftToItsDiskCapacity() =>
        Assert.True(StoragePlacement.HasRoom([], "p", 5000));

    [Fact]
    public void Rooms_SumTheDisksCommittedOnEachReportedPool()
    {
        var rooms = StoragePlacement.Rooms(
            [new StoragePoolInfo("a", "/a", 100, 90), new StoragePoolInfo("b", "/b", 100, 50)],
            [("a", 10), ("a", 5), ("gone", 40)]);

        Assert.Equal([75L, 50L], rooms.Select(r => r.RoomGb));
    }

    [Fact]
    public void Elect_SkipsAHostWhosePoolIsFull()
    {
        var full = Host("full", Pool("local", 100, committedGb: 95));
        var roomy = Host("roomy", Pool("local", 100));

        Assert.Equal(["roomy"], Elect(Disk(10), full, roomy));
        Assert.Equal(["full", "roomy"], Elect(Disk(5), full, roomy).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Elect_JudgesTheNamedPool_WhenTheHostHasIt_ElseItsDefaultPool()
    {
        var a = Host("a", Pool("local", 5), Pool("images", 500));
        var b = Host("b", Pool("local", 5));

        Assert.Equal(["a"], Elect(Disk(50, "images"), a, b));
        Assert.Empty(Elect(Disk(50), a, b));
    }

    [Fact]
    public void Elect_TakesAHostThatReportsNoPools_ByItsDiskCapacity()
    {
        var noPools = Host("old");
        var full = Host("full", Pool("local", 0));

        Assert.Equal(["old"], Elect(Disk(50, "local"), noPools, full));
        Assert.Empty(Elect(Disk(3000), noPools));
    }
}
