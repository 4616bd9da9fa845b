using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Tests.Hosts;

/// <summary>The election over <see cref="PlacementView"/>, without Orleans, with a seeded random.</summary>
public sealed class HostElectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly ResourceAmount Big = new(16, 65536, 2000, 100);
    private static readonly ResourceAmount Small = new(2, 2048, 20, 1);

    private static HostSnapshot Host(string name, ResourceAmount? allocated = null, ResourceAmount? claimed = null,
        TimeSpan? age = null, HostState state = HostState.Up, string area = "default", string[]? caps = null, ResourceAmount? capacity = null) =>
        new(name, area, "simulated", state, capacity ?? Big, allocated ?? ResourceAmount.Zero, claimed ?? ResourceAmount.Zero,
            caps ?? ["vm", "gen2"], Now - (age ?? TimeSpan.FromSeconds(1)), 0);

    private static PlacementRequest Request(ResourceAmount? amount = null, string? area = null, string[]? caps = null, string[]? excluded = null) =>
        new(amount ?? Small, caps ?? ["vm", "gen2"], area, excluded);

    private static PlacementView View(params HostSnapshot[] hosts) => View(seed: 7, hosts);

    private static PlacementView View(int seed, IEnumerable<HostSnapshot> hosts)
    {
        var view = new PlacementView(0.05, new Random(seed));
        foreach (var host in hosts)
        {
            view.Upsert(host, 1);
        }

        return view;
    }

    private static IReadOnlyList<string> Elect(PlacementView view, PlacementRequest? request = null, int count = 5) =>
        view.Elect(request ?? Request(), count, Now, MaxAge);

    [Fact]
    public void Elect_PrefersTheHostWithMostRoomLeft()
    {
        var busy = Host("a", allocated: new ResourceAmount(8, 32768, 1000, 10));
        var idle = Host("b");

        Assert.Equal(["b", "a"], Elect(View(busy, idle)));
    }

    [Fact]
    public void Elect_CountsClaimsInFlight()
    {
        var claimedFull = Host("a", claimed: new ResourceAmount(15, 65536, 10, 1));

        Assert.Empty(Elect(View(claimedFull)));
    }

    [Fact]
    public void Elect_SkipsStaleDownAndMaintenanceHosts()
    {
        var stale = Host("stale", age: TimeSpan.FromMinutes(5));
        var down = Host("down", state: HostState.Down);
        var maintenance = Host("maint", state: HostState.Maintenance);
        var fresh = Host("fresh");

        Assert.Equal(["fresh"], Elect(View(stale, down, maintenance, fresh)));
    }

    [Fact]
    public void Elect_RequiresEveryCapability_AndTheArea()
    {
        var gen1Only = Host("gen1", caps: ["vm", "gen1"]);
        var otherArea = Host("far", area: "eu");
        var good = Host("good");

        Assert.Equal(["good"], Elect(View(gen1Only, otherArea, good), Request(area: "default")));
    }

    [Fact]
    public void Elect_SkipsExcludedHosts() =>
        Assert.Equal(["c"], Elect(View(Host("a"), Host("b"), Host("c")), Request(excluded: ["a", "b"])));

    [Fact]
    public void Elect_RefusesAnAmountLargerThanAnyHost() =>
        Assert.Empty(Elect(View(Host("a")), Request(new ResourceAmount(17, 1, 1, 1))));

    [Fact]
    public void Elect_OverTenThousandHosts_ReturnsOnlyTheCountAsked()
    {
        var view = View(seed: 1, Enumerable.Range(0, 10_000).Select(i => Host($"h{i}")));

        var picked = Elect(view, count: 3);

        Assert.Equal(3, picked.Count);
        Assert.Equal(3, picked.Distinct().Count());
    }

    [Fact]
    public void Elect_PutsEveryHostOfTheFreestBandFirst()
    {
        var half = new ResourceAmount(8, 32768, 1000, 10);
        var hosts = Enumerable.Range(0, 20).Select(i => Host($"busy{i}", allocated: half))
            .Concat(Enumerable.Range(0, 3).Select(i => Host($"idle{i}")));

        var picked = Elect(View(seed: 3, hosts), count: 5);

        Assert.Equal(["idle0", "idle1", "idle2"], picked.Take(3).Order());
        Assert.All(picked.Skip(3), name => Assert.StartsWith("busy", name, StringComparison.Ordinal));
    }

    [Fact]
    public void ManyElections_OverEqualHosts_SpreadTheirFirstChoices()
    {
        var view = View(seed: 11, Enumerable.Range(0, 100).Select(i => Host($"h{i}")));

        var firsts = Enumerable.Range(0, 1000).Select(_ => Elect(view)[0]).ToList();

        // Herding would put all 1,000 on one host; uniform picks reach about 100 hosts, ~10 each.
        Assert.True(firsts.Distinct().Count() >= 90, $"{firsts.Distinct().Count()} distinct first choices");
        Assert.True(firsts.GroupBy(f => f).Max(g => g.Count()) <= 30, "one host drew too many placements");
    }

    [Fact]
    public void Elect_WithTheSameSeed_IsRepeatable()
    {
        var hosts = Enumerable.Range(0, 50).Select(i => Host($"h{i}")).ToList();

        Assert.Equal(Elect(View(seed: 5, hosts)), Elect(View(seed: 5, hosts)));
    }

    [Fact]
    public void Elect_FindsTheOneHostThatFits_AmongExhaustedOnes()
    {
        var oneVm = new ResourceAmount(2, 2048, 20, 1);
        var hosts = Enumerable.Range(0, 500).Select(i => Host($"full{i}", capacity: oneVm, claimed: oneVm))
            .Append(Host("free", capacity: oneVm));

        Assert.Equal(["free"], Elect(View(seed: 2, hosts), Request(oneVm)));
    }

    [Fact]
    public void Upsert_KeepsTheLaterStamp_AndMovesAClaimedHostOutOfTheElection()
    {
        var oneVm = new ResourceAmount(2, 2048, 20, 1);
        var view = new PlacementView(0.05, new Random(1));
        view.Upsert(Host("a", capacity: oneVm), 10);

        Assert.True(view.Upsert(Host("a", capacity: oneVm, claimed: oneVm), 11));
        Assert.False(view.Upsert(Host("a", capacity: oneVm), 10));
        Assert.Empty(Elect(view, Request(oneVm)));
        Assert.Equal(oneVm, Assert.Single(view.List()).Claimed);
    }

    [Fact]
    public void Upsert_OfAHostGoneDown_TakesItOutOfTheElection()
    {
        var view = View(Host("a"), Host("b"));

        view.Upsert(Host("a", state: HostState.Maintenance), 2);

        Assert.Equal(["b"], Elect(view));
        Assert.Equal(2, view.Count);
    }
}
