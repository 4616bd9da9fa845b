namespace OrleansCloud.Hosts;

/// <summary>What a feed partition changed since a version: the snapshots with their stamps.</summary>
[GenerateSerializer, Immutable, Alias("oc.PlacementFeedPage")]
public sealed record PlacementFeedPage(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<PlacementFeedEntry> Entries);
