using OrleansCloud.Areas;
using OrleansCloud.Common;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Hosts;
using OrleansCloud.Tenants;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Common;

/// <summary>References built from the types resolved once are the references Orleans builds, and reach the same grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public void Ref_EqualsOrleansReference_OnFirstAndLaterCalls_ForEachInterface()
    {
        foreach (var key in new[] { "a", "tenant-with-dashes", "host.example.org", "ünïcode/key" })
        {
            for (var call = 0; call < 3; call++)
            {
                AssertSame(_grains.GetGrain<ITenantGrain>(key), _grains.Ref<ITenantGrain>(key));
                AssertSame(_grains.GetGrain<IHostGrain>(key), _grains.Ref<IHostGrain>(key));
                AssertSame(_grains.GetGrain<IAreaGrain>(key), _grains.Ref<IAreaGrain>(key));
            }
        }

        // Two interfaces never share a resolution: the same key names two different grains.
        Assert.NotEqual(((GrainReference)(object)_grains.Ref<ITenantGrain>("k")).GrainId, ((GrainReference)(object)_grains.Ref<IHostGrain>("k")).GrainId);
    }

    [Fact]
    public async Task Ref_ReachesTheGrainOrleansReaches()
    {
        var areaId = NewId("area");
        var created = await _grains.GetGrain<IAreaGrain>(areaId).Create(new AreaSettings("Refs", "", new VlanRange(10, 11), "10.0.0.0/8", null));
        Assert.True(created.IsSuccess);

        var read = await _grains.Ref<IAreaGrain>(areaId).Get();

        Assert.True(read.IsSuccess);
        Assert.Equal("Refs", read.Value!.Settings.Name);
    }

    [Fact]
    public void Ref_RefusesAnEmptyKey_AsOrleansDoes()
    {
        Assert.ThrowsAny<ArgumentException>(() => _grains.Ref<ITenantGrain>(""));
        Assert.ThrowsAny<ArgumentException>(() => _grains.Ref<ITenantGrain>("  "));
    }

    private static void AssertSame(object expected, object actual)
    {
        var orleans = Assert.IsAssignableFrom<GrainReference>(expected);
        var ours = Assert.IsAssignableFrom<GrainReference>(actual);
        Assert.Equal(orleans.GrainId, ours.GrainId);
        Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(orleans, ours);
    }
}
