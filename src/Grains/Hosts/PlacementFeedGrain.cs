using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// One partition of the host updates (see <see cref="IPlacementFeedGrain"/>). Updates are O(log n) and
/// a silo that pulls every few hundred milliseconds reads only the hosts that changed meanwhile.
/// </summary>
public sealed class PlacementFeedGrain : Grain, IPlacementFeedGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly Dictionary<string, (PlacementFeedEntry Entry, long Version)> _hosts = new(StringComparer.Ordinal);
    private readonly SortedSet<long> _versions = [];
    private readonly Dictionary<long, string> _hostAt = [];
    private long _version;

    public Task Publish(HostSnapshot snapshot, long stamp)
    {
        if (_hosts.TryGetValue(snapshot.HostName, out var known))
        {
            if (stamp <= known.Entry.Stamp)
            {
                return Task.CompletedTask;
            }

            _versions.Remove(known.Version);
            _hostAt.Remove(known.Version);
        }

        _version++;
        _hosts[snapshot.HostName] = (new PlacementFeedEntry(snapshot, stamp), _version);
        _versions.Add(_version);
        _hostAt.Add(_version, snapshot.HostName);
        return Task.CompletedTask;
    }

    public Task<PlacementFeedPage> Changes(Guid epoch, long since)
    {
        if (epoch != _epoch)
        {
            since = 0;
        }

        var changed = new List<PlacementFeedEntry>();
        if (since < _version)
        {
            // A silo that keeps up reads a short tail: O(log n) to find it.
            foreach (var version in _versions.GetViewBetween(since + 1, _version))
            {
                changed.Add(_hosts[_hostAt[version]].Entry);
            }
        }

        return Task.FromResult(new PlacementFeedPage(_epoch, _version, changed));
    }
}
