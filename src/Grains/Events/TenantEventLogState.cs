using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

[GenerateSerializer, Alias("oc.TenantEventLogState")]
public sealed class TenantEventLogState
{
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>The most recent events, oldest first, at most <see cref="TenantEventLogGrain.Capacity"/>.</summary>
    [Id(1)] public List<SequencedEvent> Events { get; set; } = [];

    /// <summary>
    /// Legacy: the ids of <see cref="Events"/>, as the log stored them before it rebuilt them in memory.
    /// No longer written: they doubled every write and say nothing <see cref="Events"/> does not.
    /// </summary>
    [Id(2)] public HashSet<string> SeenIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The ids of the kept events, to drop redeliveries (streams deliver at least once); rebuilt, never stored.</summary>
    [NonSerialized]
    private HashSet<string>? _kept;

    /// <summary>Logs <paramref name="item"/> unless it is a redelivery of a kept event; keeps the last <paramref name="capacity"/>.</summary>
    public bool Append(TenantEvent item, int capacity)
    {
        if (_kept is null)
        {
            _kept = new HashSet<string>(Events.Select(e => e.Event.EventId), StringComparer.Ordinal);
            SeenIds = new HashSet<string>(StringComparer.Ordinal);
        }

        if (!_kept.Add(item.EventId))
        {
            return false;
        }

        LastSequence++;
        Events.Add(new SequencedEvent(LastSequence, item));
        if (Events.Count > capacity)
        {
            foreach (var dropped in Events.Take(Events.Count - capacity))
            {
                _kept.Remove(dropped.Event.EventId);
            }

            Events.RemoveRange(0, Events.Count - capacity);
        }

        return true;
    }
}
