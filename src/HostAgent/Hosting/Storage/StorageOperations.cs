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

    /// <summary>The answer, read for this operation by a statement that carried it with others (<see cref="BulkUpdate"/>).</summary>
    internal void Answered(TResult answer) => _answer = answer;

    /// <summary>The single <c>version</c> a RETURNING clause answers, or null when no row changed.</summary>
    protected static async Task<int?> ReturnedVersion(NpgsqlDataReader reader) =>
        await reader.ReadAsync() ? reader.GetInt32(0) : null;
}

internal sealed record StoredRow(byte[]? Payload, int Version);

internal sealed class ReadRow(StorageKey key) : StorageOperation<StoredRow?>, IKeyedOperation
{
    public StorageKey Key => key;

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
    public StorageKey Key => key;

    /// <summary>The version the write starts from; null for a first write (an insert).</summary>
    public int? Expected => expected;

    public ReadOnlyMemory<byte> Payload => payload;

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
internal sealed class ClearRow(StorageKey key, int expected) : StorageOperation<int?>, IKeyedOperation
{
    public StorageKey Key => key;

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

/// <summary>
/// Several version-checked updates of different rows as one statement: each row is matched by its identity
/// and the version its grain holds, and the statement answers, by position, the new version of each row it
/// changed; a row it did not change answers null (a conflict), as <see cref="WriteRow"/> alone would. One
/// statement instead of one per row spares PostgreSQL the per-statement work (bind, executor start and end,
/// a result set each), which was a third of its CPU at ten writes a transaction.
/// </summary>
internal sealed class BulkUpdate(IReadOnlyList<WriteRow> writes) : IStorageOperation
{
    public const string Sql = """
        UPDATE oc_grain_state AS s SET payload = u.payload, version = s.version + 1, modified_at = now()
          FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[], $5::varchar[], $6::bytea[], $7::integer[], $8::integer[])
               AS u(service_id, grain_type, n0, n1, ext, payload, version, position)
         WHERE s.service_id = u.service_id AND s.grain_type = u.grain_type AND s.grain_id_n0 = u.n0 AND s.grain_id_n1 = u.n1
           AND coalesce(s.grain_id_ext, '') = coalesce(u.ext, '') AND s.version = u.version
        RETURNING u.position, s.version
        """;

    public NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Sql);
        var count = writes.Count;
        var services = new string[count];
        var states = new string[count];
        var n0 = new long[count];
        var n1 = new long[count];
        var extensions = new string?[count];
        var payloads = new byte[count][];
        var versions = new int[count];
        var positions = new int[count];
        for (var i = 0; i < count; i++)
        {
            var write = writes[i];
            (services[i], states[i], n0[i], n1[i], extensions[i]) = (write.Key.ServiceId, write.Key.StateName, write.Key.N0, write.Key.N1, write.Key.Extension);
            payloads[i] = Whole(write.Payload);
            versions[i] = write.Expected!.Value;
            positions[i] = i;
        }

        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = services, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = states, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n0, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n1, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = extensions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = positions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        return command;
    }

    public async Task Read(NpgsqlDataReader reader)
    {
        var answered = new int?[writes.Count];
        while (await reader.ReadAsync())
        {
            answered[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Answered(answered[i]);
        }
    }

    public void Complete()
    {
        foreach (var write in writes)
        {
            write.Complete();
        }
    }

    public void Fail(Exception error)
    {
        foreach (var write in writes)
        {
            write.Fail(error);
        }
    }

    /// <summary>
    /// The operations of a batch as statements: the updates of rows that nothing else in the batch touches
    /// become one <see cref="BulkUpdate"/> (at the place of the first), the rest stay one statement each, in order.
    /// </summary>
    public static IReadOnlyList<IStorageOperation> Combine(IReadOnlyList<IStorageOperation> operations)
    {
        if (operations.Count < 2)
        {
            return operations;
        }

        var touches = new Dictionary<StorageKey, int>();
        foreach (var operation in operations)
        {
            if (KeyOf(operation) is { } key)
            {
                touches[key] = touches.GetValueOrDefault(key) + 1;
            }
        }

        var combined = new List<WriteRow>();
        foreach (var operation in operations)
        {
            if (operation is WriteRow { Expected: not null } update && touches[update.Key] == 1)
            {
                combined.Add(update);
            }
        }

        if (combined.Count < 2)
        {
            return operations;
        }

        var statements = new List<IStorageOperation>(operations.Count - combined.Count + 1);
        var placed = false;
        foreach (var operation in operations)
        {
            if (operation is WriteRow { Expected: not null } update && touches[update.Key] == 1)
            {
                if (!placed)
                {
                    statements.Add(new BulkUpdate(combined));
                    placed = true;
                }
            }
            else
            {
                statements.Add(operation);
            }
        }

        return statements;
    }

    private static StorageKey? KeyOf(IStorageOperation operation) => operation switch
    {
        WriteRow write => write.Key,
        IKeyedOperation keyed => keyed.Key,
        _ => null,
    };

    private static byte[] Whole(ReadOnlyMemory<byte> payload) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();
}

/// <summary>An operation on one row (a read or a clear): a batch does not combine an update of that row with others.</summary>
internal interface IKeyedOperation
{
    StorageKey Key { get; }
}
