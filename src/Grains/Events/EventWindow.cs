using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

/// <summary>
/// The last <c>capacity</c> events of a log in memory, oldest first, with their ids to drop
/// redeliveries (streams deliver at least once). Rebuilt on activation, never stored.
/// </summary>
public sealed class EventWindow(int capacity)
{
    private readonly List<SequencedEvent> _events = [];

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public IReadOnlyList<SequencedEvent> Events => _events;

    public bool Holds(string eventId) => _ids.Contains(eventId);

    /// <summary>Adds <paramref name="item"/> unless it is already held or older than the newest; keeps the last events only.</summary>
    public void Add(SequencedEvent item)
    {
        if ((_events.Count > 0 && item.Sequence <= _events[^1].Sequence) || !_ids.Add(item.Event.EventId))
        {
            return;
        }

        _events.Add(item);
        if (_events.Count > capacity)
        {
            var excess = _events.Count - capacity;
            foreach (var dropped in _events.Take(excess))
            {
                _ids.Remove(dropped.Event.EventId);
            }

            _events.RemoveRange(0, excess);
        }
    }

    public EventPage After(long afterSequence, int max, long latest) => new(
        [.. _events.Where(e => e.Sequence > afterSequence).Take(Math.Clamp(max, 1, capacity))],
        _events.Count > 0 ? _events[0].Sequence : latest + 1,
        latest);
}
