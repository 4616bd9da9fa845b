using OrleansCloud.Common;

namespace OrleansCloud.Events;

/// <summary>
/// A tenant's recent events, numbered in the order they arrived on the tenant's stream, kept so a
/// client can resume where it left off (SSE Last-Event-ID). Key: the tenant id.
/// </summary>
[Alias("oc.ITenantEventLogGrain")]
public interface ITenantEventLogGrain : IGrainWithStringKey
{
    /// <summary>Events with a sequence above <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    [AlwaysInterleave, Alias("ReadAfter")]
    Task<EventPage> ReadAfter(long afterSequence, int max);
}

/// <summary>A slice of the log. <see cref="OldestKept"/> tells a client whether events it asked for were already dropped.</summary>
[GenerateSerializer, Immutable, Alias("oc.EventPage")]
public sealed record EventPage(
    [property: Id(0)] IReadOnlyList<SequencedEvent> Events,
    [property: Id(1)] long OldestKept,
    [property: Id(2)] long Latest);

[GenerateSerializer, Immutable, Alias("oc.SequencedEvent")]
public sealed record SequencedEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] TenantEvent Event);
