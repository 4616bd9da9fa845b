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

/// <summary>
/// Where a grain keeps the sealed chunks of its <see cref="SealedMap{TValue}"/>s: rows of the grain
/// storage written by the owner itself (no grain of their own), two slots per bucket used in turn. A
/// seal writes generation g + 1 into the slot that held g - 1, which the owner's durable state no
/// longer names (it names g, or g + 1 once its next write lands), so a crash at any point leaves the
/// state and the chunk it names intact. The slots' versions are kept here between writes.
/// </summary>
public sealed class SealedChunks(IGrainStorage storage, string owner)
{
    /// <summary>Overlay entries at which a small map's touched buckets are sealed before the state's next write.</summary>
    public const int SealThreshold = 64;

    /// <summary>The most overlay entries a state write carries, however large its map.</summary>
    public const int MaxSealThreshold = 1024;

    /// <summary>
    /// The overlay size at which a map of <paramref name="count"/> entries is sealed. Each state write
    /// carries the overlay (half the threshold on average) and each seal rewrites the touched buckets, all
    /// of the map once the overlay is spread over every bucket, once per threshold changes: per change about
    /// t/2 + n/t entries, least at t = sqrt(2n). A fixed 64 made a seal cost grow with the map (a host with
    /// 13,000 VMs rewrote ~200 entries per change).
    /// </summary>
    public static int ThresholdFor(int count) => Math.Clamp((int)Math.Sqrt(2.0 * count), SealThreshold, MaxSealThreshold);

    private const string StateName = "sealedchunk";

    private readonly Dictionary<(string Map, int Bucket, int Slot), object> _slots = [];

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
    }

    /// <summary>
    /// When the map's overlay has grown to <paramref name="threshold"/> (by default <see cref="ThresholdFor"/>
    /// its size), writes each touched bucket's entries as its next generation and points the map at it; the
    /// caller writes its state next.
    /// </summary>
    public async Task Seal<TValue>(string name, SealedMap<TValue> map, int? threshold = null)
        where TValue : class
    {
        var buckets = map.BucketsToSeal(threshold ?? ThresholdFor(map.Count));
        if (buckets.Count == 0)
        {
            return;
        }

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
