using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansCloud.HostAgent.Hosting.Storage;

namespace OrleansCloud.HostAgent.Tests.Hosting;

/// <summary>
/// The grain storage's lookups use the key's index whatever the table's statistics say. Its statements are
/// prepared, and PostgreSQL keeps a prepared statement's generic plan: planned while the statistics said the
/// table was empty, that plan is a sequential scan, kept as the table grows until an ANALYZE replans it.
/// </summary>
public sealed class StoragePlanTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private const string ServiceId = "plan-tests";

    [Fact]
    public async Task ReadsOfATableAnalyzedWhileEmpty_StillUseTheIndex_AsItGrows()
    {
        await using var admin = new NpgsqlConnection(database.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, "ANALYZE oc_grain_state");
        var before = await Scans(admin);
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());
        var store = new PostgresStateStore(new PostgresGrainStorageOptions { ConnectionString = database.ConnectionString, Connections = 1, MaxBatchSize = 1 }, NullLogger<PostgresStateStore>.Instance);
        await using (store)
        {
            var storage = new PostgresGrainStorage("Default", ServiceId, store, serializer, NullLogger<PostgresGrainStorage>.Instance);

            // Prepared and planned while the table is empty, as a new database's first grains are.
            for (var i = 0; i < 12; i++)
            {
                await storage.ReadStateAsync("thing", GrainId.Create("thing", $"early-{i}"), new GrainState<Dictionary<string, string>>());
            }

            const int rows = 2_000;
            for (var i = 0; i < rows; i++)
            {
                await storage.WriteStateAsync("thing", GrainId.Create("thing", $"row-{i}"), new GrainState<Dictionary<string, string>>(new() { ["value"] = $"value {i}" }));
            }

            for (var i = 0; i < rows; i += 10)
            {
                var state = new GrainState<Dictionary<string, string>>();
                await storage.ReadStateAsync("thing", GrainId.Create("thing", $"row-{i}"), state);
                Assert.Equal($"value {i}", state.State!["value"]);
            }
        }

        // The store's connection has closed: its counters reach pg_stat_user_tables at its exit.
        var (sequential, indexed) = (0L, 0L);
        for (var wait = 0; wait < 100 && indexed + sequential < 200; wait++)
        {
            await Task.Delay(100);
            var now = await Scans(admin);
            (sequential, indexed) = (now.Sequential - before.Sequential, now.Indexed - before.Indexed);
        }

        Assert.True(indexed >= 200, $"the reads were not counted: {indexed} index scans");
        Assert.True(sequential == 0, $"{sequential} sequential scans of oc_grain_state for {indexed} index scans");
    }

    private static async Task<(long Sequential, long Indexed)> Scans(NpgsqlConnection connection)
    {
        await Execute(connection, "SELECT pg_stat_clear_snapshot()");
        await using var command = new NpgsqlCommand("SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'oc_grain_state'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
