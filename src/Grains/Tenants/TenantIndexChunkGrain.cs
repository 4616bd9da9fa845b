using OrleansCloud.Tenants;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Tenants;

/// <summary>A chunk of a tenant's task and job lists; written when one of its at most 64 entries is added or marked.</summary>
[TenantKeyedPlacement]
public sealed class TenantIndexChunkGrain([PersistentState("index")] IPersistentState<TenantIndexChunkState> state)
    : Grain, ITenantIndexChunkGrain
{
    private TenantIndexChunkState S => state.State;

    public async Task<IndexAppend> Append(IndexEntry entry, bool onlyFind)
    {
        var (outcome, changed) = S.Append(entry, onlyFind);
        if (changed)
        {
            await Write();
        }

        return outcome;
    }

    public async Task<bool> Mark(string id, bool clear, bool withdraw)
    {
        var (found, changed) = S.Mark(id, clear, withdraw);
        if (changed)
        {
            await Write();
        }

        return found;
    }

    public Task<IReadOnlyList<IndexEntry>> Read() => Task.FromResult<IReadOnlyList<IndexEntry>>([.. S.Entries]);

    public async Task Import(IReadOnlyList<IndexEntry> entries)
    {
        S.Entries = [.. entries];
        await Write();
    }

    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory is now ahead of storage: reload it on the next call rather than answer from it.
            DeactivateOnIdle();
            throw;
        }
    }
}
