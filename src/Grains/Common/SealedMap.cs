using System.Diagnostics.CodeAnalysis;

namespace OrleansCloud.Grains.Common;

/// <summary>
/// A keyed map inside a grain's state whose stored form does not grow with its entries. It is stored in
/// three levels, each applied over the one below: per bucket of keys, a sealed chunk of all the bucket's
/// entries (its generation in the state); then runs, rows that each hold one batch of changes (the state
/// names the live ones by sequence number); then the overlay, the changes since, written with the state.
/// When the overlay reaches <see cref="SealedChunks.SpillThreshold"/> entries the grain spills it into a
/// new run, and once the runs hold as much as half the map (or their slots are used up) it merges them:
/// every bucket they touched is written again as a chunk of a new generation (<see cref="SealedChunks"/>).
/// Each step writes its row first and then the state that names it; a crash in between leaves the state
/// as it was, whose levels still say the same thing. So a state write carries at most a few dozen entries
/// however large the map, and each change is written about three times in all (overlay, run, chunk)
/// instead of the square root of the map's size.
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

    /// <summary>Keys removed since the levels below were written (only keys a sealed chunk or a live run leaves present).</summary>
    [Id(2)] public HashSet<string> Removed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The sequence number of the first live run.</summary>
    [Id(3)] public long RunBase { get; set; }

    /// <summary>How many runs are live: <see cref="RunBase"/> onwards, applied in order over the sealed chunks.</summary>
    [Id(4)] public int RunCount { get; set; }

    /// <summary>For each key a live run touched: whether the runs, applied over the chunks, leave it present.</summary>
    private Dictionary<string, bool>? _runKeys;

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

    /// <summary>Entries the live runs hold (not stored: counted as they are loaded or written).</summary>
    public int RunEntries { get; private set; }

    /// <summary>The sequence number the next run takes.</summary>
    public long NextRun => RunBase + RunCount;

    /// <summary>Whether the levels below the overlay leave the key present (so removing it needs a tombstone).</summary>
    private bool PresentBelow(string key) =>
        _runKeys is not null && _runKeys.TryGetValue(key, out var present) ? present : SealedKeys(key).Contains(key);

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
        if (PresentBelow(key))
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
        RunBase = RunBase,
        RunCount = RunCount,
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

    /// <summary>Adds a live run read at activation, after the chunks and the runs before it; the overlay stays on top.</summary>
    public void LoadRun(IReadOnlyDictionary<string, TValue> added, IReadOnlyCollection<string> removed)
    {
        var runKeys = _runKeys ??= new(StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            runKeys[key] = true;
            if (!Added.ContainsKey(key) && !Removed.Contains(key))
            {
                All[key] = value;
                BucketKeys(key).Add(key);
            }
        }

        foreach (var key in removed)
        {
            runKeys[key] = false;
            if (!Added.ContainsKey(key) && !Removed.Contains(key))
            {
                All.Remove(key);
                BucketKeys(key).Remove(key);
            }
        }

        RunEntries += added.Count + removed.Count;
    }

    /// <summary>
    /// A run holding <paramref name="added"/> and <paramref name="removed"/> (the overlay as it stood when the
    /// run was taken) is durable as run <see cref="NextRun"/>: the state names it, and the overlay forgets what
    /// it holds and keeps what changed since.
    /// </summary>
    public void Spilled(IReadOnlyDictionary<string, TValue> added, IReadOnlyCollection<string> removed)
    {
        var runKeys = _runKeys ??= new(StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            runKeys[key] = true;
            if (Added.TryGetValue(key, out var current) && ReferenceEquals(current, value))
            {
                Added.Remove(key);
            }
            else if (!All.ContainsKey(key))
            {
                // Removed while the run was written: the run holds it, so it needs a tombstone now.
                Removed.Add(key);
            }
        }

        foreach (var key in removed)
        {
            runKeys[key] = false;

            // Still removed: the run says so now. Set again since: the overlay's entry stands.
            Removed.Remove(key);
        }

        RunCount++;
        RunEntries += added.Count + removed.Count;
    }

    /// <summary>Buckets worth sealing now: those with overlay entries, once the overlay has reached <paramref name="threshold"/>.</summary>
    public IReadOnlyList<int> BucketsToSeal(int threshold) =>
        Pending < threshold ? [] : BucketsToMerge();

    /// <summary>Every bucket that the overlay or a live run touched: what a merge writes again.</summary>
    public IReadOnlyList<int> BucketsToMerge() =>
        [.. Added.Keys.Concat(Removed).Concat(_runKeys?.Keys ?? Enumerable.Empty<string>()).Select(BucketOf).Distinct().Order()];

    /// <summary>
    /// The buckets of <see cref="BucketsToMerge"/> are sealed (each through <see cref="Sealed"/>): the live
    /// runs are all in their chunks, so the state names none from now on.
    /// </summary>
    public void Merged()
    {
        RunBase += RunCount;
        RunCount = 0;
        RunEntries = 0;
        _runKeys = null;
    }

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
