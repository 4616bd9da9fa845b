using OrleansCloud.Common;

namespace OrleansCloud.Events;

/// <summary>
/// A tenant's event stream: its recent events, numbered in the order they were appended, kept so a
/// client can resume where it left off (SSE Last-Event-ID). Key: the tenant id.
/// </summary>
[Alias("oc.ITenantEventLogGrain")]
public interface ITenantEventLogGrain : IGrainWithStringKey
{
    /// <summary>Events with a sequence above <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    [AlwaysInterleave, Alias("ReadAfter")]
    Task<EventPage> ReadAfter(long afterSequence, int max);

    /// <summary>
    /// Appends an event (once: an event id already in the window is ignored, so a replayed saga step
    /// does not repeat it). Interleaves with a flush in progress, so it never waits on storage.
    /// </summary>
    [AlwaysInterleave, Alias("Append")]
    Task Append(TenantEvent item);
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
