using System.Diagnostics.CodeAnalysis;

namespace OrleansCloud.Grains.Common;

/// <summary>
/// A keyed map inside a grain's state whose stored form does not grow with its entries: what the state
/// writes is only the overlay (entries set and keys removed since they were last sealed) and, per bucket
/// of keys, the generation of its sealed chunk. The grain seals a bucket (<see cref="SealedChunks"/>) by
/// writing all its entries once as a chunk of a new generation, then its own state pointing at it; a
/// crash in between leaves the old generation and the overlay, which still say the same thing.
/// <para>
/// In memory the map holds every entry (chunks loaded at activation, overlay applied on top), so the
/// grain's decisions read it as a dictionary. A tenant's quota ledger and a host's allocations keep one
/// entry per live VM here: each hold, commit, claim or confirm writes a few entries instead of all of them.
/// </para>
/// </summary>
// The analyzer takes the indexer's setter for a stored member; only the [Id] properties are stored.
#pragma warning disable ORLEANS0004
[GenerateSerializer, Alias("oc.SealedMap`1")]
public sealed class SealedMap<TValue> : IEnumerable<KeyValuePair<string, TValue>>
    where TValue : class
{
    public const int BucketCount = 16;

    /// <summary>Per bucket, the generation of its sealed chunk; 0 for a bucket never sealed.</summary>
    [Id(0)] public int[] Generations { get; set; } = new int[BucketCount];

    /// <summary>Entries set since their bucket was sealed.</summary>
    [Id(1)] public Dictionary<string, TValue> Added { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keys removed since their bucket was sealed (only keys a sealed chunk holds).</summary>
    [Id(2)] public HashSet<string> Removed { get; set; } = new(StringComparer.Ordinal);

    private Dictionary<string, TValue>? _all;
    private HashSet<string>[]? _bucketKeys;
    private HashSet<string>[]? _sealedKeys;

    /// <summary>Every entry (the overlay applied on the loaded chunks); built from the overlay on first use.</summary>
    private Dictionary<string, TValue> All
    {
        get
        {
            if (_all is null)
            {
                _all = new(Added, StringComparer.Ordinal);
                foreach (var key in Added.Keys)
                {
                    BucketKeys(key).Add(key);
                }
            }

            return _all;
        }
    }

    /// <summary>The keys of <see cref="All"/> by bucket, so that sealing one bucket does not scan every entry.</summary>
    private HashSet<string> BucketKeys(string key) => Buckets(ref _bucketKeys)[BucketOf(key)];

    private HashSet<string> SealedKeys(string key) => Buckets(ref _sealedKeys)[BucketOf(key)];

    private static HashSet<string>[] Buckets(ref HashSet<string>[]? buckets) =>
        buckets ??= [.. Enumerable.Range(0, BucketCount).Select(_ => new HashSet<string>(StringComparer.Ordinal))];

    /// <summary>Entries the next write stores (the overlay): what a state write costs, in entries.</summary>
    public int Pending => Added.Count + Removed.Count;

    public int Count => All.Count;

    public IEnumerable<TValue> Values => All.Values;

    public IEnumerable<string> Keys => All.Keys;

    public IEnumerable<KeyValuePair<string, TValue>> Entries => All;

    public TValue this[string key]
    {
        get => All[key];
        set
        {
            All[key] = value;
            BucketKeys(key).Add(key);
            Added[key] = value;
            Removed.Remove(key);
        }
    }

    public bool TryAdd(string key, TValue value)
    {
        if (ContainsKey(key))
        {
            return false;
        }

        this[key] = value;
        return true;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => All.TryGetValue(key, out value);

    public bool ContainsKey(string key) => All.ContainsKey(key);

    public bool Remove(string key) => Remove(key, out _);

    public bool Remove(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (!All.Remove(key, out value))
        {
            return false;
        }

        BucketKeys(key).Remove(key);
        Added.Remove(key);
        if (SealedKeys(key).Contains(key))
        {
            Removed.Add(key);
        }

        return true;
    }

    public void Clear()
    {
        foreach (var key in All.Keys.ToList())
        {
            Remove(key);
        }
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => All.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The stored parts, copied (the entries themselves are immutable and shared): what a group commit writes.</summary>
    public SealedMap<TValue> Snapshot() => new()
    {
        Generations = [.. Generations],
        Added = new(Added, StringComparer.Ordinal),
        Removed = new(Removed, StringComparer.Ordinal),
    };

    /// <summary>The bucket of a key: stable across processes and versions (FNV-1a over its UTF-16 code units).</summary>
    public static int BucketOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % BucketCount);
    }

    /// <summary>Buckets whose chunk the grain reads at activation.</summary>
    public IEnumerable<(int Bucket, int Generation)> SealedBuckets() =>
        Generations.Select((generation, bucket) => (bucket, generation)).Where(b => b.generation > 0);

    /// <summary>Adds a sealed chunk read at activation; the overlay stays on top of it.</summary>
    public void Load(IReadOnlyDictionary<string, TValue> chunk)
    {
        foreach (var (key, value) in chunk)
        {
            SealedKeys(key).Add(key);
            if (!Added.ContainsKey(key) && !Removed.Contains(key))
            {
                All[key] = value;
                BucketKeys(key).Add(key);
            }
        }
    }

    /// <summary>Buckets worth sealing now: those with overlay entries, once the overlay has reached <paramref name="threshold"/>.</summary>
    public IReadOnlyList<int> BucketsToSeal(int threshold) =>
        Pending < threshold ? [] : [.. Added.Keys.Concat(Removed).Select(BucketOf).Distinct().Order()];

    /// <summary>Every entry of a bucket as it stands: the content of its next chunk.</summary>
    public Dictionary<string, TValue> BucketContent(int bucket)
    {
        var all = All;
        return Buckets(ref _bucketKeys)[bucket].ToDictionary(k => k, k => all[k], StringComparer.Ordinal);
    }

    /// <summary>
    /// A bucket's chunk of <paramref name="generation"/> holding <paramref name="content"/> is durable:
    /// the overlay forgets what that chunk holds, and keeps what changed since the content was taken.
    /// </summary>
    public void Sealed(int bucket, int generation, IReadOnlyDictionary<string, TValue> content)
    {
        Generations[bucket] = generation;
        Buckets(ref _sealedKeys)[bucket] = new HashSet<string>(content.Keys, StringComparer.Ordinal);
        foreach (var key in Added.Keys.Where(k => BucketOf(k) == bucket).ToList())
        {
            if (content.TryGetValue(key, out var sealedValue) && ReferenceEquals(sealedValue, Added[key]))
            {
                Added.Remove(key);
            }
        }

        Removed.RemoveWhere(k => BucketOf(k) == bucket && !content.ContainsKey(k));

        // Removed while the chunk was written: the chunk holds them, so they need a tombstone now.
        foreach (var key in content.Keys)
        {
            if (!All.ContainsKey(key))
            {
                Removed.Add(key);
            }
        }
    }
}
#pragma warning restore ORLEANS0004
