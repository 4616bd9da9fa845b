namespace OrleansCloud.Hosts;

/// <summary>A host's snapshot and the stamp that orders it among that host's snapshots.</summary>
[GenerateSerializer, Immutable, Alias("oc.PlacementFeedEntry")]
public sealed record PlacementFeedEntry(
    [property: Id(0)] HostSnapshot Snapshot,
    [property: Id(1)] long Stamp);
