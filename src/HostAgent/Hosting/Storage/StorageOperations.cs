using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;

namespace OrleansCloud.HostAgent.Hosting.Storage;

/// <summary>
/// A row's identity in <c>oc_grain_state</c>, as Orleans' ADO.NET provider laid it out: a string key in
/// the extension column with both numbers zero; a Guid key as its two 64-bit halves; an integer key in
/// the second number; a key extension (of a Guid or integer key) in the extension column.
/// </summary>
internal readonly record struct StorageKey(string ServiceId, string StateName, long N0, long N1, string? Extension)
{
    public static StorageKey Of(string serviceId, string stateName, GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes);
            return new(serviceId, stateName, BitConverter.ToInt64(bytes[..8]), BitConverter.ToInt64(bytes[8..]), guidExtension);
        }

        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new(serviceId, stateName, 0, integer, integerExtension);
        }

        return new(serviceId, stateName, 0, 0, grainId.Key.ToString());
    }

    public string Describe() => N0 == 0 && N1 == 0 ? Extension ?? string.Empty : $"{N0:x16}{N1:x16}#{Extension}";

    /// <summary>Parameters $1 to $5: the identity, matched by the unique index oc_grain_state_identity.</summary>
    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = ServiceId, NpgsqlDbType = NpgsqlDbType.Varchar });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = StateName, NpgsqlDbType = NpgsqlDbType.Varchar });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = N0, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = N1, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = (object?)Extension ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
    }

    public const string Matches =
        "service_id = $1 AND grain_type = $2 AND grain_id_n0 = $3 AND grain_id_n1 = $4 AND coalesce(grain_id_ext, '') = coalesce($5, '')";
}

/// <summary>One statement of a batch: how to send it, how to read its answer, how to hand that answer out.</summary>
internal interface IStorageOperation
{
    NpgsqlBatchCommand Command();

    /// <summary>Reads this statement's result set (the reader is at its start). Nothing is handed out yet.</summary>
    Task Read(NpgsqlDataReader reader);

    /// <summary>The batch committed: hand out what <see cref="Read"/> took.</summary>
    void Complete();

    void Fail(Exception error);
}

internal abstract class StorageOperation<TResult> : IStorageOperation
{
    private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult _answer = default!;

    public Task<TResult> Result => _done.Task;

    public abstract NpgsqlBatchCommand Command();

    public async Task Read(NpgsqlDataReader reader) => _answer = await ReadAnswer(reader);

    public void Complete() => _done.TrySetResult(_answer);

    public void Fail(Exception error) => _done.TrySetException(error);

    protected abstract Task<TResult> ReadAnswer(NpgsqlDataReader reader);

    /// <summary>The single <c>version</c> a RETURNING clause answers, or null when no row changed.</summary>
    protected static async Task<int?> ReturnedVersion(NpgsqlDataReader reader) =>
        await reader.ReadAsync() ? reader.GetInt32(0) : null;
}

internal sealed record StoredRow(byte[]? Payload, int Version);

internal sealed class ReadRow(StorageKey key) : StorageOperation<StoredRow?>
{
    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand($"SELECT payload, version FROM oc_grain_state WHERE {StorageKey.Matches}");
        key.AddTo(command.Parameters);
        return command;
    }

    protected override async Task<StoredRow?> ReadAnswer(NpgsqlDataReader reader) =>
        await reader.ReadAsync()
            ? new StoredRow(await reader.IsDBNullAsync(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetInt32(1))
            : null;
}

/// <summary>
/// A write that succeeds only from the version the grain last read or wrote (an insert when it has none):
/// answers the new version, or null when another writer got there first.
/// </summary>
internal sealed class WriteRow(StorageKey key, int? expected, ReadOnlyMemory<byte> payload) : StorageOperation<int?>
{
    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(expected is null
            ? """
              INSERT INTO oc_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
              VALUES ($1, $2, $3, $4, $5, $6, 1)
              ON CONFLICT DO NOTHING
              RETURNING version
              """
            : $"""
              UPDATE oc_grain_state SET payload = $6, version = version + 1, modified_at = now()
               WHERE {StorageKey.Matches} AND version = $7
              RETURNING version
              """);
        key.AddTo(command.Parameters);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
        if (expected is { } version)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        return command;
    }

    protected override Task<int?> ReadAnswer(NpgsqlDataReader reader) => ReturnedVersion(reader);
}

/// <summary>Empties a row (its version still counts up), from the version the grain holds.</summary>
internal sealed class ClearRow(StorageKey key, int expected) : StorageOperation<int?>
{
    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand($"""
            UPDATE oc_grain_state SET payload = NULL, version = version + 1, modified_at = now()
             WHERE {StorageKey.Matches} AND version = $6
            RETURNING version
            """);
        key.AddTo(command.Parameters);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = expected, NpgsqlDbType = NpgsqlDbType.Integer });
        return command;
    }

    protected override Task<int?> ReadAnswer(NpgsqlDataReader reader) => ReturnedVersion(reader);
}
