using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

[GenerateSerializer, Alias("oc.TenantEventLogState")]
public sealed class TenantEventLogState
{
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>The most recent events, oldest first, at most <see cref="TenantEventLogGrain.Capacity"/>.</summary>
    [Id(1)] public List<SequencedEvent> Events { get; set; } = [];

    /// <summary>Event ids already logged, to drop redeliveries (streams deliver at least once).</summary>
    [Id(2)] public HashSet<string> SeenIds { get; set; } = new(StringComparer.Ordinal);
}
