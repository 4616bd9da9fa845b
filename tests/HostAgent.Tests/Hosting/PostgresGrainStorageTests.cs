using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansCloud.HostAgent.Hosting.Storage;

namespace OrleansCloud.HostAgent.Tests.Hosting;

/// <summary>
/// The silo's PostgreSQL grain storage against the machine's PostgreSQL (a database of its own, made by
/// deploy/db.sh): a grain's writes are durable and version-checked, and concurrent operations of many
/// grains share transactions without one grain's failure failing the others.
/// </summary>
public sealed class PostgresGrainStorageTests(StorageDatabase database) : IClassFixture<StorageDatabase>, IAsyncLifetime
{
    private const string ServiceId = "storage-tests";
    private readonly IGrainStorageSerializer _serializer =
        new OrleansGrainStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    private readonly string _connectionString = database.ConnectionString;
    private PostgresStateStore _store = null!;
    private PostgresGrainStorage _storage = null!;

    public Task InitializeAsync()
    {
        (_store, _storage) = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task AGrainThatNeverWrote_ReadsEmpty()
    {
        var state = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("thing", Grain("never"), state);

        Assert.Empty(state.State!);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task AWrite_IsReadBackByAnotherStore_WithItsVersion()
    {
        var written = new GrainState<Dictionary<string, string>>(new() { ["cpu"] = "4", ["name"] = "web-1" });
        await _storage.WriteStateAsync("thing", Grain("a"), written);
        await _storage.WriteStateAsync("thing", Grain("a"), written);

        // Another store (another silo, or this one after a restart) reads what was committed.
        var (store, storage) = Open();
        await using var _ = store;
        var read = new GrainState<Dictionary<string, string>>();
        await storage.ReadStateAsync("thing", Grain("a"), read);

        Assert.Equal(written.State, read.State);
        Assert.Equal("2", read.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);

        // Same key under another state name or service: another row.
        var other = new GrainState<Dictionary<string, string>>();
        await storage.ReadStateAsync("other", Grain("a"), other);
        Assert.Null(other.ETag);
    }

    [Fact]
    public async Task AWriteFromAStaleVersion_IsRefused_AndChangesNothing()
    {
        var first = new GrainState<Dictionary<string, string>>(new() { ["v"] = "1" });
        await _storage.WriteStateAsync("thing", Grain("stale"), first);

        // A second activation read the same version, and wrote first.
        var second = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("thing", Grain("stale"), second);
        second.State!["v"] = "2";
        await _storage.WriteStateAsync("thing", Grain("stale"), second);

        first.State!["v"] = "from the stale one";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("thing", Grain("stale"), first));

        var read = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("thing", Grain("stale"), read);
        Assert.Equal("2", read.State!["v"]);
        Assert.Equal(second.ETag, read.ETag);
    }

    [Fact]
    public async Task TwoFirstWrites_OnlyOneWins()
    {
        var one = new GrainState<Dictionary<string, string>>(new() { ["who"] = "one" });
        var two = new GrainState<Dictionary<string, string>>(new() { ["who"] = "two" });
        var results = await Task.WhenAll(Attempt(one), Attempt(two));

        Assert.Equal(1, results.Count(ok => ok));
        var read = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("thing", Grain("race"), read);
        Assert.Equal(results[0] ? "one" : "two", read.State!["who"]);

        async Task<bool> Attempt(GrainState<Dictionary<string, string>> state)
        {
            try
            {
                await _storage.WriteStateAsync("thing", Grain("race"), state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task AClear_EmptiesTheRow_FromTheHeldVersionOnly()
    {
        var state = new GrainState<Dictionary<string, string>>(new() { ["v"] = "1" });
        await _storage.WriteStateAsync("thing", Grain("clear"), state);
        var stale = new GrainState<Dictionary<string, string>> { ETag = state.ETag };
        await _storage.WriteStateAsync("thing", Grain("clear"), state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("thing", Grain("clear"), stale));
        await _storage.ClearStateAsync("thing", Grain("clear"), state);
        Assert.Empty(state.State!);
        Assert.False(state.RecordExists);

        var read = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("thing", Grain("clear"), read);
        Assert.Empty(read.State!);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);

        // Written again from the cleared version.
        read.State!["v"] = "again";
        await _storage.WriteStateAsync("thing", Grain("clear"), read);

        // An activation that never wrote may clear only a row nobody wrote.
        await _storage.ClearStateAsync("thing", Grain("nobody"), new GrainState<Dictionary<string, string>>());
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.ClearStateAsync("thing", Grain("clear"), new GrainState<Dictionary<string, string>>()));
    }

    [Fact]
    public async Task ConcurrentWritesOfManyGrains_ShareTransactions_AndAllAreDurable()
    {
        const int grains = 400;
        var states = Enumerable.Range(0, grains)
            .Select(i => new GrainState<Dictionary<string, string>>(new() { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToList();
        var batchesBefore = _store.Batches;
        var operationsBefore = _store.Operations;

        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("many", Grain($"g{i}"), s)));
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("many", Grain($"g{i}"), s)));

        var operations = _store.Operations - operationsBefore;
        var batches = _store.Batches - batchesBefore;
        Assert.Equal(2 * grains, operations);
        Assert.True(batches < operations / 4, $"{operations} writes took {batches} transactions");

        var (store, storage) = Open();
        await using var _ = store;
        for (var i = 0; i < grains; i++)
        {
            var read = new GrainState<Dictionary<string, string>>();
            await storage.ReadStateAsync("many", Grain($"g{i}"), read);
            Assert.Equal(states[i].State, read.State);
            Assert.Equal("2", read.ETag);
        }
    }

    [Fact]
    public async Task UpdatesCombinedIntoOneStatement_EachKeepItsOwnVersionCheck()
    {
        // 300 grains that wrote once, then all write again at the same time, a third of them from a stale
        // version: the batched updates go as one statement, and each write still succeeds or is refused on
        // its own version alone, and changes only its own row.
        const int grains = 300;
        var states = Enumerable.Range(0, grains)
            .Select(i => new GrainState<Dictionary<string, string>>(new() { ["v"] = "first" }))
            .ToList();
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("combined", Combined(i), s)));
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("combined", Combined(i), s)));
        var stale = new HashSet<int>(Enumerable.Range(0, grains).Where(i => i % 3 == 0));
        foreach (var i in stale)
        {
            states[i].ETag = "1";
        }

        var operationsBefore = _store.Operations;
        var batchesBefore = _store.Batches;
        var writes = states.Select((s, i) =>
        {
            s.State = new() { ["v"] = $"second-{i}" };
            return _storage.WriteStateAsync("combined", Combined(i), s);
        }).ToList();
        foreach (var (write, i) in writes.Select((w, i) => (w, i)))
        {
            if (stale.Contains(i))
            {
                await Assert.ThrowsAsync<InconsistentStateException>(() => write);
            }
            else
            {
                await write;
            }
        }

        Assert.Equal(grains, _store.Operations - operationsBefore);
        Assert.True(_store.Batches - batchesBefore < grains / 4, $"{grains} writes took {_store.Batches - batchesBefore} transactions");
        var (store, storage) = Open();
        await using var _ = store;
        for (var i = 0; i < grains; i++)
        {
            var read = new GrainState<Dictionary<string, string>>();
            await storage.ReadStateAsync("combined", Combined(i), read);
            Assert.Equal(stale.Contains(i) ? "first" : $"second-{i}", read.State!["v"]);
            Assert.Equal(stale.Contains(i) ? "2" : "3", read.ETag);
        }
    }

    [Fact]
    public void Combine_LeavesOneStatementPerOperation_WhereARowIsTouchedTwice()
    {
        var a = StorageKey.Of(ServiceId, "s", Grain("a"));
        var b = StorageKey.Of(ServiceId, "s", Grain("b"));
        var c = StorageKey.Of(ServiceId, "s", Grain("c"));
        var read = new ReadRow(a);
        var updateA = new WriteRow(a, 3, new byte[] { 1 });
        var updateB = new WriteRow(b, 1, new byte[] { 2 });
        var updateC = new WriteRow(c, 5, new byte[] { 3 });
        var insert = new WriteRow(StorageKey.Of(ServiceId, "s", Grain("d")), null, new byte[] { 4 });

        var statements = BulkUpdate.Combine([read, updateA, insert, updateB, updateC]);

        Assert.Equal(4, statements.Count);
        Assert.Same(read, statements[0]);
        Assert.Same(updateA, statements[1]);
        Assert.Same(insert, statements[2]);
        Assert.IsType<BulkUpdate>(statements[3]);
        Assert.Same(updateB, BulkUpdate.Combine([updateB])[0]);
        Assert.Equal(2, BulkUpdate.Combine([updateB, updateB]).Count);
    }

    [Fact]
    public async Task AStatementThatFailsOnTheServer_FailsOnlyItsOwnCaller()
    {
        // A state name longer than its column: PostgreSQL refuses that statement, and with it the batch's
        // transaction; the writes batched with it must still succeed.
        var tooLong = new string('x', 600);
        var splitBefore = _store.SplitBatches;
        var good = Enumerable.Range(0, 100).Select(_ => new GrainState<Dictionary<string, string>>(new() { ["ok"] = "yes" })).ToList();
        var writes = good.Take(50).Select((s, i) => _storage.WriteStateAsync("neighbour", Grain($"n{i}"), s)).ToList();
        var bad = _storage.WriteStateAsync(tooLong, Grain("bad"), new GrainState<Dictionary<string, string>>(new() { ["ok"] = "no" }));
        writes.AddRange(good.Skip(50).Select((s, i) => _storage.WriteStateAsync("neighbour", Grain($"m{i}"), s)));

        var error = await Assert.ThrowsAsync<PostgresException>(() => bad);
        Assert.Equal(PostgresErrorCodes.StringDataRightTruncation, error.SqlState);
        await Task.WhenAll(writes);
        Assert.All(good, s => Assert.Equal("1", s.ETag));
        Assert.True(_store.SplitBatches > splitBefore, "the bad write was never in a batch with others");
    }

    [Fact]
    public async Task ConnectionsCutUnderneath_AsByADatabaseRestart_DoNotFailTheNextOperations()
    {
        var states = Enumerable.Range(0, 40).Select(_ => new GrainState<Dictionary<string, string>>(new() { ["x"] = "1" })).ToList();
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("cut", Grain($"c{i}"), s)));

        // Every pooled connection of the store is terminated by the server (57P01), as a restart would.
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            Assert.True((long)(await terminate.ExecuteScalarAsync())! > 0, "no connection of the store was open");
        }

        foreach (var state in states)
        {
            state.State!["x"] = "2";
        }

        // One at a time, so each is a batch of its own and meets a cut connection alone.
        for (var i = 0; i < states.Count; i++)
        {
            await _storage.WriteStateAsync("cut", Grain($"c{i}"), states[i]);
        }

        Assert.All(states, s => Assert.Equal("2", s.ETag));
        var read = new GrainState<Dictionary<string, string>>();
        await _storage.ReadStateAsync("cut", Grain("c0"), read);
        Assert.Equal("2", read.State!["x"]);
    }

    [Fact]
    public async Task RowsOfTheEarlierAdoNetLayout_AreReadAndWritten()
    {
        // A Guid-keyed and an integer-keyed grain: the key's parts are where the ADO.NET provider put them.
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var guidGrain = GrainId.Create(GrainType.Create("thing"), GrainIdKeyExtensions.CreateGuidKey(guid));
        var integerGrain = GrainId.Create(GrainType.Create("thing"), GrainIdKeyExtensions.CreateIntegerKey(42, "ext"));
        var payload = _serializer.Serialize(new Dictionary<string, string> { ["from"] = "before" }).ToArray();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            var bytes = guid.ToByteArray();
            await Insert(connection, BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), null);
            await Insert(connection, 0, 42, "ext");
        }

        foreach (var grain in new[] { guidGrain, integerGrain })
        {
            var read = new GrainState<Dictionary<string, string>>();
            await _storage.ReadStateAsync("thing", grain, read);
            Assert.Equal("before", read.State!["from"]);
            Assert.Equal("7", read.ETag);
            read.State!["from"] = "after";
            await _storage.WriteStateAsync("thing", grain, read);
            Assert.Equal("8", read.ETag);
        }

        async Task Insert(NpgsqlConnection connection, long n0, long n1, string? ext)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO oc_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version) VALUES ($1, 'thing', $2, $3, $4, $5, 7)",
                connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = ServiceId });
            insert.Parameters.Add(new NpgsqlParameter { Value = n0 });
            insert.Parameters.Add(new NpgsqlParameter { Value = n1 });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)ext ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
            insert.Parameters.Add(new NpgsqlParameter { Value = payload });
            await insert.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task AStoppedStore_FinishesWhatWasQueued_AndRefusesMore()
    {
        var (store, storage) = Open();
        var states = Enumerable.Range(0, 100).Select(_ => new GrainState<Dictionary<string, string>>(new() { ["x"] = "y" })).ToList();
        var writes = states.Select((s, i) => storage.WriteStateAsync("stopping", Grain($"s{i}"), s)).ToList();
        await store.DisposeAsync();

        await Task.WhenAll(writes);
        Assert.All(states, s => Assert.Equal("1", s.ETag));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteStateAsync("stopping", Grain("late"), new GrainState<Dictionary<string, string>>()));
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(65, 64)]
    [InlineData(4, 0)]
    public void BadOptions_StopTheStoreAtStart(int connections, int maxBatchSize)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgresStateStore(
            new PostgresGrainStorageOptions { ConnectionString = _connectionString, Connections = connections, MaxBatchSize = maxBatchSize },
            NullLogger<PostgresStateStore>.Instance));
        Assert.Contains("Invalid grain storage options", error.Message, StringComparison.Ordinal);
    }

    private static GrainId Grain(string key) => GrainId.Create("thing", key);

    /// <summary>Grains of the combined-updates test: string keys, and every seventh a Guid key (no extension, both halves set).</summary>
    private static GrainId Combined(int i) => i % 7 == 0
        ? GrainId.Create(GrainType.Create("thing"), GrainIdKeyExtensions.CreateGuidKey(new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8)))
        : Grain($"k{i}");

    private (PostgresStateStore Store, PostgresGrainStorage Storage) Open()
    {
        var store = new PostgresStateStore(new PostgresGrainStorageOptions { ConnectionString = _connectionString }, NullLogger<PostgresStateStore>.Instance);
        return (store, new PostgresGrainStorage("Default", ServiceId, store, _serializer, NullLogger<PostgresGrainStorage>.Instance));
    }
}

/// <summary>A database of the tests' own, made by deploy/db.sh (which installs and starts PostgreSQL when missing).</summary>
public sealed class StorageDatabase : IAsyncLifetime
{
    private readonly string _name = "oc_storage_" + Guid.NewGuid().ToString("N")[..8];

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = (await DbScript("--database", _name, "--recreate", "--quiet")).Trim();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DbScript("--database", _name, "--drop", "--quiet");
    }

    private static async Task<string> DbScript(params string[] arguments)
    {
        var root = typeof(StorageDatabase).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add(Path.Combine(root, "deploy", "db.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"deploy/db.sh {string.Join(' ', arguments)} failed: {await error}");
        return await output;
    }
}
