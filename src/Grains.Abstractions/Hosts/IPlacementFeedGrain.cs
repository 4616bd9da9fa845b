namespace OrleansCloud.Hosts;

/// <summary>
/// One partition of the host updates every silo's placement view pulls: the latest snapshot of each of
/// its hosts, numbered by a version so a silo asks only for what changed. In memory: after a restart
/// it starts a new epoch and refills from heartbeats. Key: <see cref="PlacementKeys.Feed"/>.
/// </summary>
[Alias("oc.IPlacementFeedGrain")]
public interface IPlacementFeedGrain : IGrainWithStringKey
{
    /// <summary>Records a host's snapshot; <paramref name="stamp"/> orders a host's snapshots (later wins).</summary>
    [OneWay, Alias("Publish")]
    Task Publish(HostSnapshot snapshot, long stamp);

    /// <summary>The snapshots changed after <paramref name="since"/> in <paramref name="epoch"/>; all of them in another epoch.</summary>
    [ReadOnly, Alias("Changes")]
    Task<PlacementFeedPage> Changes(Guid epoch, long since);
}
