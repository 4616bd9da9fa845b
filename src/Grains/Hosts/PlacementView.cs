using Microsoft.Extensions.Options;
using OrleansCloud.Common;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// One silo's view of every host, indexed for elections that do not sort the fleet: up hosts sit in
/// pools (area and capability set) and, within a pool, in bands of free share <c>tolerance</c> wide
/// (plus one band for hosts with nothing left in some resource). An election walks the bands from the
/// freest down and, inside a band, starts at a random host, so it touches about as many hosts as it
/// returns and concurrent elections over near-equal hosts spread instead of herding. A host whose storage
/// pool for the disk has no room is skipped (bands rank cpu, memory and disk, not pools). Thread-safe: the
/// placement readers of a silo share it, and host grains write into it after every change.
/// </summary>
public sealed class PlacementView
{
    private readonly object _gate = new();
    private readonly Random _random;
    private readonly double _tolerance;
    private readonly int _bands;
    private readonly Dictionary<string, Entry> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private readonly List<Pool> _poolList = [];

    /// <param name="tolerance">The band width: hosts whose free share differs by less are equals.</param>
    /// <param name="random">Picks within a band; seed it for a repeatable test.</param>
    public PlacementView(double tolerance, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance);
        _tolerance = Math.Min(tolerance, 1.0);
        _bands = (int)Math.Ceiling(1.0 / _tolerance);
        _random = random;
    }

    public PlacementView(IOptions<PlacementOptions> options)
        : this(options.Value.ScoreTolerance, new Random())
    {
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _hosts.Count;
            }
        }
    }

    /// <summary>
    /// Records a host's snapshot unless the view already holds one with a later or equal stamp (the same
    /// change may arrive twice: from the host grain on this silo and through the feed).
    /// </summary>
    public bool Upsert(HostSnapshot snapshot, long stamp)
    {
        lock (_gate)
        {
            if (_hosts.TryGetValue(snapshot.HostName, out var entry))
            {
                if (stamp <= entry.Stamp)
                {
                    return false;
                }

                Unindex(entry);
            }
            else
            {
                entry = new Entry();
                _hosts.Add(snapshot.HostName, entry);
            }

            entry.Snapshot = snapshot;
            entry.Free = snapshot.Free;
            entry.Stamp = stamp;
            Index(entry);
            return true;
        }
    }

    public IReadOnlyList<HostSnapshot> List()
    {
        lock (_gate)
        {
            return [.. _hosts.Values.Select(e => e.Snapshot).OrderBy(h => h.HostName, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> eligible hosts (see <see cref="HostElection.IsEligible"/>), freest
    /// band first, random within a band; empty when no host fits.
    /// </summary>
    public IReadOnlyList<string> Elect(PlacementRequest request, int count, DateTimeOffset now, TimeSpan maxHeartbeatAge)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var excluded = request.ExcludedHosts is { Count: > 0 } names ? new HashSet<string>(names, StringComparer.Ordinal) : null;
        var picked = new List<string>(count);
        lock (_gate)
        {
            var pools = _poolList.Where(p => Matches(p, request)).ToList();
            if (pools.Count == 0)
            {
                return picked;
            }

            for (var band = _bands; band >= 0; band--)
            {
                var firstPool = _random.Next(pools.Count);
                for (var p = 0; p < pools.Count; p++)
                {
                    var bucket = pools[(firstPool + p) % pools.Count].Bands[band];
                    var n = bucket.Count;
                    if (n == 0)
                    {
                        continue;
                    }

                    var start = _random.Next(n);
                    for (var i = 0; i < n; i++)
                    {
                        var at = start + i;
                        var entry = bucket[at < n ? at : at - n];
                        if (now - entry.Snapshot.LastHeartbeat > maxHeartbeatAge
                            || !request.Amount.FitsWithin(entry.Free)
                            || !StoragePlacement.HasRoom(entry.Snapshot.StoragePools, request.Pool, request.Amount.DiskGb)
                            || (excluded is not null && excluded.Contains(entry.Snapshot.HostName)))
                        {
                            continue;
                        }

                        picked.Add(entry.Snapshot.HostName);
                        if (picked.Count == count)
                        {
                            return picked;
                        }
                    }
                }
            }
        }

        return picked;
    }

    private static bool Matches(Pool pool, PlacementRequest request) =>
        (request.Area is null || string.Equals(pool.Area, request.Area, StringComparison.Ordinal))
        && HostElection.HasAll(pool.Capabilities, request.RequiredCapabilities);

    // Only up hosts are indexed; the others are listed but never elected.
    private void Index(Entry entry)
    {
        var host = entry.Snapshot;
        if (host.State != HostState.Up)
        {
            entry.Pool = null;
            return;
        }

        var key = host.Area + "\u0001" + string.Join('\u0001', host.Capabilities.Order(StringComparer.Ordinal));
        if (!_pools.TryGetValue(key, out var pool))
        {
            pool = new Pool(host.Area, [.. host.Capabilities], _bands);
            _pools.Add(key, pool);
            _poolList.Add(pool);
        }

        entry.Pool = pool;
        entry.Band = BandOf(host);
        var bucket = pool.Bands[entry.Band];
        entry.Position = bucket.Count;
        bucket.Add(entry);
    }

    private void Unindex(Entry entry)
    {
        if (entry.Pool is null)
        {
            return;
        }

        // Swap-remove: order within a band carries no meaning, elections start at a random host.
        var bucket = entry.Pool.Bands[entry.Band];
        var last = bucket[^1];
        bucket[entry.Position] = last;
        last.Position = entry.Position;
        bucket.RemoveAt(bucket.Count - 1);
        entry.Pool = null;
    }

    // Band 0 holds hosts with nothing left in some resource; bands 1.._bands the others by free share.
    private int BandOf(HostSnapshot host) =>
        HostElection.IsExhausted(host)
            ? 0
            : 1 + Math.Clamp((int)(HostElection.Score(host, ResourceAmount.Zero) / _tolerance), 0, _bands - 1);

    private sealed class Entry
    {
        public HostSnapshot Snapshot { get; set; } = null!;
        public ResourceAmount Free { get; set; } = ResourceAmount.Zero;
        public long Stamp { get; set; }
        public Pool? Pool { get; set; }
        public int Band { get; set; }
        public int Position { get; set; }
    }

    private sealed class Pool(string area, IReadOnlyList<string> capabilities, int bands)
    {
        public string Area { get; } = area;
        public IReadOnlyList<string> Capabilities { get; } = capabilities;
        public List<Entry>[] Bands { get; } = [.. Enumerable.Range(0, bands + 1).Select(_ => new List<Entry>())];
    }
}
