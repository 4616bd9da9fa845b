using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

/// <summary>
/// Subscribed implicitly to every tenant's event stream: numbers each event, keeps the last
/// <see cref="Capacity"/> durably, and serves them to the SSE endpoint (which resumes by sequence).
/// </summary>
[ImplicitStreamSubscription(StreamNames.TenantEvents)]
public sealed class TenantEventLogGrain([PersistentState("events")] IPersistentState<TenantEventLogState> state)
    : Grain, ITenantEventLogGrain, IStreamSubscriptionObserver, IAsyncObserver<TenantEvent>
{
    public const int Capacity = 1000;

    private TenantEventLogState S => state.State;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TenantEvent>().ResumeAsync(this);

    public async Task OnNextAsync(TenantEvent item, StreamSequenceToken? token = null)
    {
        if (!S.SeenIds.Add(item.EventId))
        {
            return;
        }

        S.LastSequence++;
        S.Events.Add(new SequencedEvent(S.LastSequence, item));
        if (S.Events.Count > Capacity)
        {
            foreach (var dropped in S.Events.Take(S.Events.Count - Capacity))
            {
                S.SeenIds.Remove(dropped.Event.EventId);
            }

            S.Events.RemoveRange(0, S.Events.Count - Capacity);
        }

        await state.WriteStateAsync();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<EventPage> ReadAfter(long afterSequence, int max)
    {
        var events = S.Events.Where(e => e.Sequence > afterSequence).Take(Math.Clamp(max, 1, Capacity)).ToList();
        var oldest = S.Events.Count > 0 ? S.Events[0].Sequence : S.LastSequence + 1;
        return Task.FromResult(new EventPage(events, oldest, S.LastSequence));
    }
}
