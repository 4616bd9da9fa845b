using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

/// <summary>
/// The stored head of a tenant's event log: the last sequence and the open chunk, the events after
/// <see cref="SealedThrough"/>. Older events live in sealed chunks (<see cref="ITenantEventChunkGrain"/>),
/// each written once, so a write of the head is bounded by the chunk size whatever the window.
/// </summary>
[GenerateSerializer, Alias("oc.TenantEventLogState")]
public sealed class TenantEventLogState
{
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>
    /// The open chunk's events, oldest first. A state stored before the log was chunked holds its
    /// whole window here; the first flush seals it into chunks.
    /// </summary>
    [Id(1)] public List<SequencedEvent> Events { get; set; } = [];

    /// <summary>
    /// Legacy: the ids of <see cref="Events"/>, as the log stored them before it rebuilt them in memory.
    /// No longer written: they doubled every write and say nothing <see cref="Events"/> does not.
    /// </summary>
    [Id(2)] public HashSet<string> SeenIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every event up to this sequence (a multiple of the chunk size) is in a sealed chunk.</summary>
    [Id(3)] public long SealedThrough { get; set; }

    /// <summary>The number of the chunk that holds <paramref name="sequence"/> (chunk n holds n * size + 1 to (n + 1) * size).</summary>
    public static long ChunkOf(long sequence, int chunkSize) => (sequence - 1) / chunkSize;

    /// <summary>The sequence up to which the open events fill whole chunks: what a flush begun now seals.</summary>
    public long SealableThrough(int chunkSize) => LastSequence / chunkSize * chunkSize;

    /// <summary>The open events up to <paramref name="through"/> (from <see cref="SealableThrough"/>), by chunk number.</summary>
    public IReadOnlyList<(long Chunk, IReadOnlyList<SequencedEvent> Events)> CompleteChunks(long through, int chunkSize) =>
        [.. Events.Where(e => e.Sequence > SealedThrough && e.Sequence <= through)
            .GroupBy(e => ChunkOf(e.Sequence, chunkSize))
            .Select(g => (g.Key, (IReadOnlyList<SequencedEvent>)[.. g]))];

    /// <summary>
    /// Drops the open events up to <paramref name="through"/>, once <see cref="CompleteChunks"/> sealed them.
    /// Events appended while the chunks were written lie above it and stay open.
    /// </summary>
    public void MarkSealed(long through)
    {
        Events.RemoveAll(e => e.Sequence <= through);
        SealedThrough = Math.Max(SealedThrough, through);
        SeenIds.Clear();
    }
}
