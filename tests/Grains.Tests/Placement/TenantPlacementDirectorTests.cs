using System.Net;
using OrleansCloud.Common;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Tests.Placement;

/// <summary>Which silo a tenant's grains go to: the same answer everywhere, spread over the silos, and stable as silos come and go.</summary>
public sealed class TenantPlacementDirectorTests
{
    private static SiloAddress Silo(int n, int generation = 1) =>
        SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), generation);

    private static readonly string[] Tenants = Enumerable.Range(0, 3000).Select(i => $"tenant-{i}").ToArray();

    [Fact]
    public void TheChoice_DoesNotDependOnTheOrderSilosAreListed()
    {
        var silos = new[] { Silo(1), Silo(2), Silo(3) };
        var reversed = silos.Reverse().ToArray();

        foreach (var tenant in Tenants)
        {
            Assert.Equal(TenantPlacementDirector.SiloOf(tenant, silos), TenantPlacementDirector.SiloOf(tenant, reversed));
        }
    }

    [Fact]
    public void Tenants_SpreadEvenlyOverTheSilos()
    {
        var silos = new[] { Silo(1), Silo(2), Silo(3) };

        var counts = Tenants.GroupBy(t => TenantPlacementDirector.SiloOf(t, silos)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        // An even split is 1,000 each; a binomial spread at 3,000 tenants stays well within ±10%.
        Assert.All(counts.Values, c => Assert.InRange(c, 900, 1100));
    }

    [Fact]
    public void ASiloJoining_MovesOnlyTheTenantsItTakes_AndLeavingGivesThemBack()
    {
        var three = new[] { Silo(1), Silo(2), Silo(3) };
        var four = three.Append(Silo(4)).ToArray();

        var moved = 0;
        foreach (var tenant in Tenants)
        {
            var before = TenantPlacementDirector.SiloOf(tenant, three);
            var after = TenantPlacementDirector.SiloOf(tenant, four);
            if (after != before)
            {
                Assert.Equal(Silo(4), after);
                moved++;
            }
        }

        // About a quarter of the tenants move to the new silo; none move between the old ones.
        Assert.InRange(moved, 600, 900);
    }

    [Fact]
    public void ARestartedSilo_IsANewSilo()
    {
        var before = new[] { Silo(1), Silo(2) };
        var restarted = new[] { Silo(1), Silo(2, generation: 2) };

        var changed = Tenants.Count(t => TenantPlacementDirector.SiloOf(t, before) != TenantPlacementDirector.SiloOf(t, restarted));

        Assert.InRange(changed, 1, Tenants.Length - 1);
    }

    [Fact]
    public void NoSilo_IsAnError()
    {
        Assert.Throws<OrleansException>(() => TenantPlacementDirector.SiloOf("t", []));
    }

    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("acme/12", "acme")]
    [InlineData("acme/tasks/3", "acme")]
    public void ATenantKeyedGrain_NamesItsTenantBeforeTheFirstSlash(string key, string tenant)
    {
        Assert.Equal(tenant, TenantAffinity.OfKey(key));
    }

    [Fact]
    public void TheRequestContext_NamesTheTenant_OnlyWhenItCarriesANonEmptyString()
    {
        Assert.Equal("acme", TenantAffinity.Of(new Dictionary<string, object> { [TenantAffinity.Key] = "acme" }));
        Assert.Null(TenantAffinity.Of(new Dictionary<string, object> { [TenantAffinity.Key] = "" }));
        Assert.Null(TenantAffinity.Of(new Dictionary<string, object> { [TenantAffinity.Key] = 7 }));
        Assert.Null(TenantAffinity.Of(new Dictionary<string, object>()));
        Assert.Null(TenantAffinity.Of(null));
    }

    [Fact]
    public void AScope_RestoresWhatTheContextCarriedBefore()
    {
        using (TenantAffinity.For("outer"))
        {
            using (TenantAffinity.For("inner"))
            {
                Assert.Equal("inner", RequestContext.Get(TenantAffinity.Key));
            }

            Assert.Equal("outer", RequestContext.Get(TenantAffinity.Key));
        }

        Assert.Null(RequestContext.Get(TenantAffinity.Key));
    }
}
