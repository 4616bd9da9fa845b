namespace OrleansCloud.Events;

/// <summary>
/// One sealed chunk of a tenant's event log (key: "{tenant}/{n}", the events numbered
/// n * size + 1 to (n + 1) * size): written once when the log's open chunk fills, so no write of
/// the log grows with its window. Only <see cref="ITenantEventLogGrain"/> calls it.
/// </summary>
[Alias("oc.ITenantEventChunkGrain")]
public interface ITenantEventChunkGrain : IGrainWithStringKey
{
    /// <summary>Stores the chunk's events, replacing what it held (a resealed chunk after a crash is the same). Idempotent.</summary>
    [Alias("Write")]
    Task Write(IReadOnlyList<SequencedEvent> events);

    [ReadOnly, Alias("Read")]
    Task<IReadOnlyList<SequencedEvent>> Read();

    /// <summary>Forgets the chunk once it has left the log's window.</summary>
    [Alias("Clear")]
    Task Clear();
}
