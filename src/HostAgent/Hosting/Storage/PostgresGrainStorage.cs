using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansCloud.HostAgent.Hosting.Storage;

/// <summary>
/// Grain state on PostgreSQL with group commit across grains: the reads, writes and clears that arrive
/// while earlier ones are in flight go to the database together, as one batch in one transaction (one
/// round trip, one commit), and each caller is answered only after that commit. A grain's own rules are
/// unchanged: its write is durable when its <c>WriteStateAsync</c> returns, and a write that carries a
/// stale version is refused (<see cref="InconsistentStateException"/>) without touching the row.
/// <para>
/// Under load a vm.create's dozen state writes share transactions with other sagas' writes instead of
/// costing one transaction each; at one write at a time a batch is that one write, sent at once.
/// A statement that fails on the server (not a version conflict, which is an answer) fails only its own
/// caller: the batch is rolled back and its operations are run again one by one.
/// </para>
/// Rows are those of <c>oc_grain_state</c> (deploy/sql/20-persistence.sql), keyed as Orleans' ADO.NET
/// provider keyed them, so state written by earlier versions of the cluster reads the same.
/// </summary>
public sealed partial class PostgresGrainStorage(
    string name, string serviceId, PostgresStateStore store, IGrainStorageSerializer serializer, ILogger<PostgresGrainStorage> logger) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StorageKey.Of(serviceId, stateName, grainId);
        var row = await store.Run(new ReadRow(key));
        var payload = row?.Payload;
        grainState.State = payload is null ? Create<T>() : serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = row?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StorageKey.Of(serviceId, stateName, grainId);
        var expected = ParseVersion(grainState.ETag);
        var payload = serializer.Serialize(grainState.State).ToMemory();
        var version = await store.Run(new WriteRow(key, expected, payload));
        if (version is null)
        {
            throw Conflict("write", key, grainState.ETag);
        }

        grainState.ETag = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StorageKey.Of(serviceId, stateName, grainId);
        var expected = ParseVersion(grainState.ETag);
        if (expected is null)
        {
            // Never written by this activation: nothing to clear, unless another activation wrote it meanwhile.
            if (await store.Run(new ReadRow(key)) is { Payload: not null })
            {
                throw Conflict("clear", key, grainState.ETag);
            }
        }
        else
        {
            var version = await store.Run(new ClearRow(key, expected.Value));
            if (version is null)
            {
                throw Conflict("clear", key, grainState.ETag);
            }

            grainState.ETag = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        grainState.State = Create<T>();
        grainState.RecordExists = false;
    }

    private static T Create<T>() => Activator.CreateInstance<T>();

    private static int? ParseVersion(string? etag) =>
        string.IsNullOrEmpty(etag) ? null : int.Parse(etag, System.Globalization.CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, StorageKey key, string? etag)
    {
        LogConflict(logger, operation, name, key.StateName, key.Describe(), etag);
        return new InconsistentStateException(
            $"Version conflict ({operation}): storage {name}, state {key.StateName}, grain {key.Describe()}: version {etag ?? "none"} is no longer the stored one.",
            storedEtag: "unknown", currentEtag: etag ?? string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state {Operation} refused by storage {Storage}: state {StateName} of {Grain} is no longer at version {ETag}.")]
    private static partial void LogConflict(ILogger logger, string operation, string storage, string stateName, string grain, string? etag);
}
