using OrleansCloud.Events;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Events;

/// <summary>A sealed chunk of a tenant's event log, written once. Placed beside the log grain that calls it.</summary>
[TenantKeyedPlacement]
public sealed class TenantEventChunkGrain([PersistentState("eventchunk")] IPersistentState<TenantEventChunkState> state)
    : Grain, ITenantEventChunkGrain
{
    public async Task Write(IReadOnlyList<SequencedEvent> events)
    {
        state.State.Events = [.. events];
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SequencedEvent>> Read() => Task.FromResult<IReadOnlyList<SequencedEvent>>([.. state.State.Events]);

    public async Task Clear()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }
}
