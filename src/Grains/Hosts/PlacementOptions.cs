namespace OrleansCloud.Grains.Hosts;

/// <summary>Election settings (section "Placement").</summary>
public sealed class PlacementOptions
{
    public const string Section = "Placement";

    /// <summary>A host whose last heartbeat is older than this is not elected and refuses claims.</summary>
    public TimeSpan MaxHeartbeatAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many candidates an election returns, and so how many claims one election round tries.</summary>
    public int MaxClaimAttempts { get; set; } = 5;

    /// <summary>
    /// How many elections a placement may run, each excluding the hosts that refused before, before it
    /// answers no capacity. Refusals come from a view a few claims behind the hosts; a round is cheap.
    /// </summary>
    public int MaxElectionRounds { get; set; } = 4;

    /// <summary>
    /// Hosts whose free share differs by less than this are treated as equal and picked at random, so
    /// concurrent placements spread instead of herding on the same best host. It is also the width of
    /// the view's score buckets (0.05: twenty bands).
    /// </summary>
    public double ScoreTolerance { get; set; } = 0.05;

    /// <summary>How many partitions the host-update feed has (each a grain other silos' views pull from).</summary>
    public int FeedPartitions { get; set; } = 8;

    /// <summary>How often a silo's view pulls other silos' host updates from the feed.</summary>
    public TimeSpan FeedPullInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
