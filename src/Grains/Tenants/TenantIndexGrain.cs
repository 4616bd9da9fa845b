using System.Globalization;
using OrleansCloud.Tenants;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Tenants;

/// <summary>
/// The head of a tenant's task and job lists. Entries live in chunk grains "{tenant}/{n}" of at most
/// <see cref="TenantIndexChunkState.Capacity"/> entries, each written once when its entry arrives; the
/// head writes only when a chunk fills up. On its first activation it imports the lists a tenant kept
/// in its own state before the index existed, then lets the tenant forget them.
/// </summary>
[TenantKeyedPlacement]
public sealed class TenantIndexGrain([PersistentState("index")] IPersistentState<TenantIndexState> state)
    : Grain, ITenantIndexGrain
{
    private TenantIndexState S => state.State;

    private string TenantId => this.GetPrimaryKeyString();

    public static string ChunkKey(string tenantId, long chunk) => $"{tenantId}/{chunk.ToString(CultureInfo.InvariantCulture)}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Imported && S.LegacyDropped)
        {
            return;
        }

        var tenant = GrainFactory.Ref<ITenantGrain>(TenantId);
        if (!S.Imported)
        {
            // Chunk i takes entries [i*Capacity, (i+1)*Capacity): an interrupted import writes the same chunks again.
            var legacy = await tenant.LegacyIndex();
            var chunks = legacy.Chunk(TenantIndexChunkState.Capacity).ToList();
            for (var i = 0; i < chunks.Count; i++)
            {
                await Chunk(i).Import(chunks[i]);
            }

            S.Tail = Math.Max(0, chunks.Count - 1);
            S.Imported = true;
            S.LegacyDropped = legacy.Count == 0;
            await state.WriteStateAsync();
        }

        if (!S.LegacyDropped)
        {
            await tenant.DropLegacyIndex();
            S.LegacyDropped = true;
            await state.WriteStateAsync();
        }
    }

    public Task<long> Tail() => Task.FromResult(S.Tail);

    public async Task<long> Add(string id, IndexedKind kind, long fromChunk)
    {
        var entry = new IndexEntry(id, kind);
        for (var chunk = Math.Max(0, fromChunk); chunk < S.Tail; chunk++)
        {
            if (await Chunk(chunk).Append(entry, onlyFind: true) == IndexAppend.AlreadyThere)
            {
                return chunk;
            }
        }

        while (await Chunk(S.Tail).Append(entry, onlyFind: false) == IndexAppend.Full)
        {
            // Also where a head that crashed before saving its last move catches up.
            S.Tail++;
            await state.WriteStateAsync();
        }

        return S.Tail;
    }

    public async Task<bool> Clear(string id, long? chunk)
    {
        // Without a chunk (entries imported from a legacy tenant) look from the newest chunk down.
        if (chunk is { } known && known <= S.Tail)
        {
            return await Chunk(known).Mark(id, clear: true, withdraw: false);
        }

        for (var c = S.Tail; c >= 0; c--)
        {
            if (await Chunk(c).Mark(id, clear: true, withdraw: false))
            {
                return true;
            }
        }

        return false;
    }

    public async Task Withdraw(string id, long fromChunk)
    {
        for (var chunk = Math.Max(0, fromChunk); chunk <= S.Tail; chunk++)
        {
            if (await Chunk(chunk).Mark(id, clear: false, withdraw: true))
            {
                return;
            }
        }
    }

    public Task<Page<string>> ListTasks(string? pageToken, int pageSize) =>
        TenantIndexPaging.Page(S.Tail, pageToken, pageSize, e => e.OnTaskList, c => Chunk(c).Read());

    public Task<Page<string>> ListJobs(string? pageToken, int pageSize) =>
        TenantIndexPaging.Page(S.Tail, pageToken, pageSize, e => e.OnJobList, c => Chunk(c).Read());

    private ITenantIndexChunkGrain Chunk(long chunk) => GrainFactory.Ref<ITenantIndexChunkGrain>(ChunkKey(TenantId, chunk));
}
