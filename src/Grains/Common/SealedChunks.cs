using Orleans.Storage;

namespace OrleansCloud.Grains.Common;

/// <summary>One sealed bucket of a <see cref="SealedMap{TValue}"/>: its entries as of <see cref="Generation"/>.</summary>
[GenerateSerializer, Alias("oc.SealedChunkState`1")]
public sealed class SealedChunkState<TValue>
    where TValue : class
{
    [Id(0)] public int Generation { get; set; }

    [Id(1)] public Dictionary<string, TValue> Entries { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One run of a <see cref="SealedMap{TValue}"/>: a batch of its changes, applied in order of <see cref="Sequence"/>.</summary>
[GenerateSerializer, Alias("oc.SealedRunState`1")]
public sealed class SealedRunState<TValue>
    where TValue : class
{
    [Id(0)] public long Sequence { get; set; } = -1;

    [Id(1)] public Dictionary<string, TValue> Added { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public HashSet<string> Removed { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Where a grain keeps the sealed chunks and the runs of its <see cref="SealedMap{TValue}"/>s: rows of the grain
/// storage written by the owner itself (no grain of their own), two slots per bucket used in turn. A
/// seal writes generation g + 1 into the slot that held g - 1, which the owner's durable state no
/// longer names (it names g, or g + 1 once its next write lands), so a crash at any point leaves the
/// state and the chunk it names intact. Runs take <see cref="MaxRuns"/> slots in turn by sequence number:
/// the slot a new run is written to holds none of the live ones, which are fewer. The slots' versions
/// are kept here between writes.
/// </summary>
public sealed class SealedChunks(IGrainStorage storage, string owner)
{
    /// <summary>
    /// Overlay entries at which the overlay is spilled into a run before the state's next write: the most a
    /// state write carries (and half of it on average). Sealing the overlay straight into chunks, as before
    /// runs, had to let it grow with the square root of the map to keep the chunk rewrites in check: a
    /// tenant of 1,700 VMs wrote ~30 of them with every write, and rewrote ~30 more per change in its chunks.
    /// </summary>
    public const int SpillThreshold = 32;

    /// <summary>
    /// Run slots per map. At most one fewer are live; the runs are merged into the chunks when they are
    /// all but used up, or when they hold half as many entries as the map (rewriting the map then costs
    /// at most two entries per change that the runs hold).
    /// </summary>
    public const int MaxRuns = 64;

    private const string StateName = "sealedchunk";

    private readonly Dictionary<(string Map, int Bucket, int Slot), object> _slots = [];

    private readonly Dictionary<(string Map, int Slot), object> _runSlots = [];

    /// <summary>Reads every sealed bucket into the map (at activation, before any decision reads it).</summary>
    public async Task Load<TValue>(string name, SealedMap<TValue> map)
        where TValue : class
    {
        var reads = map.SealedBuckets().Select(async b =>
        {
            var slot = await Slot<TValue>(name, b.Bucket, b.Generation % 2);
            var chunk = slot.State ?? new SealedChunkState<TValue>();
            if (chunk.Generation != b.Generation)
            {
                throw new InvalidOperationException(
                    $"{owner}: the sealed chunk of {name} bucket {b.Bucket} is at generation {chunk.Generation}, the state names {b.Generation}.");
            }

            return chunk.Entries;
        }).ToList();
        foreach (var entries in await Task.WhenAll(reads))
        {
            map.Load(entries);
        }

        var runs = await Task.WhenAll(LongRange(map.RunBase, map.RunCount).Select(async sequence =>
        {
            var run = (await RunSlot<TValue>(name, RunSlotOf(sequence))).State ?? new SealedRunState<TValue>();
            if (run.Sequence != sequence)
            {
                throw new InvalidOperationException(
                    $"{owner}: the run slot {RunSlotOf(sequence)} of {name} holds run {run.Sequence}, the state names {sequence}.");
            }

            return run;
        }));
        foreach (var run in runs)
        {
            map.LoadRun(run.Added, run.Removed);
        }
    }

    /// <summary>
    /// When the map's overlay has grown to <paramref name="threshold"/> (by default <see cref="SpillThreshold"/>),
    /// writes it as the map's next run, or, when the runs are due to be merged, writes every bucket they and the
    /// overlay touched as its next generation; then points the map at what it wrote. The caller writes its state next.
    /// </summary>
    public async Task Seal<TValue>(string name, SealedMap<TValue> map, int? threshold = null)
        where TValue : class
    {
        var spillAt = threshold ?? SpillThreshold;
        if (map.Pending < spillAt)
        {
            return;
        }

        if (map.RunCount < MaxRuns - 1 && map.RunEntries + map.Pending < Math.Max(spillAt, map.Count / 2))
        {
            await Spill(name, map);
            return;
        }

        var buckets = map.BucketsToMerge();

        var sealing = buckets.Select(b => (Bucket: b, Generation: map.Generations[b] + 1, Content: map.BucketContent(b))).ToList();
        await Task.WhenAll(sealing.Select(async s =>
        {
            var slot = await Slot<TValue>(name, s.Bucket, s.Generation % 2);
            slot.State = new SealedChunkState<TValue> { Generation = s.Generation, Entries = s.Content };
            await storage.WriteStateAsync(StateName, ChunkId(name, s.Bucket, s.Generation % 2), slot);
        }));
        foreach (var (bucket, generation, content) in sealing)
        {
            map.Sealed(bucket, generation, content);
        }

        map.Merged();
    }

    /// <summary>Writes the overlay as run <see cref="SealedMap{TValue}.NextRun"/>, into a slot no live run holds.</summary>
    private async Task Spill<TValue>(string name, SealedMap<TValue> map)
        where TValue : class
    {
        var sequence = map.NextRun;
        var added = new Dictionary<string, TValue>(map.Added, StringComparer.Ordinal);
        var removed = new HashSet<string>(map.Removed, StringComparer.Ordinal);
        var slot = await RunSlot<TValue>(name, RunSlotOf(sequence));
        slot.State = new SealedRunState<TValue> { Sequence = sequence, Added = added, Removed = removed };
        await storage.WriteStateAsync(StateName, RunId(name, RunSlotOf(sequence)), slot);
        map.Spilled(added, removed);
    }

    private static int RunSlotOf(long sequence) => (int)(sequence % MaxRuns);

    private GrainId RunId(string map, int slot) =>
        GrainId.Create(StateName, $"{owner}/{map}/run/{slot.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    private async Task<GrainState<SealedRunState<TValue>>> RunSlot<TValue>(string map, int slot)
        where TValue : class
    {
        if (_runSlots.TryGetValue((map, slot), out var known))
        {
            return (GrainState<SealedRunState<TValue>>)known;
        }

        var state = new GrainState<SealedRunState<TValue>>();
        await storage.ReadStateAsync(StateName, RunId(map, slot), state);
        _runSlots[(map, slot)] = state;
        return state;
    }

    private static IEnumerable<long> LongRange(long from, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return from + i;
        }
    }

    private GrainId ChunkId(string map, int bucket, int slot) =>
        GrainId.Create(StateName, $"{owner}/{map}/{bucket.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{slot.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>A slot's stored state (read once per activation, then kept with its version).</summary>
    private async Task<GrainState<SealedChunkState<TValue>>> Slot<TValue>(string map, int bucket, int slot)
        where TValue : class
    {
        if (_slots.TryGetValue((map, bucket, slot), out var known))
        {
            return (GrainState<SealedChunkState<TValue>>)known;
        }

        var state = new GrainState<SealedChunkState<TValue>>();
        await storage.ReadStateAsync(StateName, ChunkId(map, bucket, slot), state);
        _slots[(map, bucket, slot)] = state;
        return state;
    }
}
