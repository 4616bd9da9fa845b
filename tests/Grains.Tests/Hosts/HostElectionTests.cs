using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Tests.Hosts;

public sealed class HostElectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly ResourceAmount Big = new(16, 65536, 2000, 100);
    private static readonly ResourceAmount Small = new(2, 2048, 20, 1);

    private static HostSnapshot Host(string name, ResourceAmount? allocated = null, ResourceAmount? claimed = null,
        TimeSpan? age = null, HostState state = HostState.Up, string area = "default", string[]? caps = null) =>
        new(name, area, "simulated", state, Big, allocated ?? ResourceAmount.Zero, claimed ?? ResourceAmount.Zero,
            caps ?? ["vm", "gen2"], Now - (age ?? TimeSpan.FromSeconds(1)), 0);

    private static PlacementRequest Request(ResourceAmount? amount = null, string? area = null, string[]? caps = null) =>
        new(amount ?? Small, caps ?? ["vm", "gen2"], area);

    [Fact]
    public void Rank_PrefersTheHostWithMostRoomLeft()
    {
        var busy = Host("a", allocated: new ResourceAmount(8, 32768, 1000, 10));
        var idle = Host("b");

        Assert.Equal(["b", "a"], HostElection.Rank([busy, idle], Request(), Now, MaxAge));
    }

    [Fact]
    public void Rank_CountsClaimsInFlight()
    {
        var claimedFull = Host("a", claimed: new ResourceAmount(15, 65536, 10, 1));

        Assert.Empty(HostElection.Rank([claimedFull], Request(), Now, MaxAge));
    }

    [Fact]
    public void Rank_SkipsStaleDownAndMaintenanceHosts()
    {
        var stale = Host("stale", age: TimeSpan.FromMinutes(5));
        var down = Host("down", state: HostState.Down);
        var maintenance = Host("maint", state: HostState.Maintenance);
        var fresh = Host("fresh");

        Assert.Equal(["fresh"], HostElection.Rank([stale, down, maintenance, fresh], Request(), Now, MaxAge));
    }

    [Fact]
    public void Rank_RequiresEveryCapability_AndTheArea()
    {
        var gen1Only = Host("gen1", caps: ["vm", "gen1"]);
        var otherArea = Host("far", area: "eu");
        var good = Host("good");

        Assert.Equal(["good"], HostElection.Rank([gen1Only, otherArea, good], Request(area: "default"), Now, MaxAge));
    }

    [Fact]
    public void Rank_BreaksTiesByFreshestHeartbeatThenName()
    {
        var older = Host("a", age: TimeSpan.FromSeconds(10));
        var newer = Host("b", age: TimeSpan.FromSeconds(2));
        var newerToo = Host("c", age: TimeSpan.FromSeconds(2));

        Assert.Equal(["b", "c", "a"], HostElection.Rank([older, newerToo, newer], Request(), Now, MaxAge));
    }

    [Fact]
    public void Rank_RefusesAnAmountLargerThanAnyHost() =>
        Assert.Empty(HostElection.Rank([Host("a")], Request(new ResourceAmount(17, 1, 1, 1)), Now, MaxAge));
}
