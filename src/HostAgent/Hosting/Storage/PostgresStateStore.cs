using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansCloud.HostAgent.Hosting.Storage;

/// <summary>
/// The silo's connection to <c>oc_grain_state</c>, shared by its grain storages: a queue of operations
/// drained by <see cref="PostgresGrainStorageOptions.Connections"/> workers. Each worker takes every
/// operation waiting (up to <see cref="PostgresGrainStorageOptions.MaxBatchSize"/>) and sends them as one
/// batch: one round trip and one implicit transaction. Results are handed out only after the batch's
/// commit, so no caller goes on from a write that could still be rolled back.
/// </summary>
public sealed partial class PostgresStateStore : IAsyncDisposable
{
    private static readonly Meter Meter = new("OrleansCloud.Storage");
    private static readonly Counter<long> BatchCounter = Meter.CreateCounter<long>("oc.storage.batches", description: "Transactions of grain-state operations sent to PostgreSQL.");
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("oc.storage.batch.size", description: "Grain-state operations per transaction.");

    private readonly Channel<IStorageOperation> _queue = Channel.CreateUnbounded<IStorageOperation>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Task[] _workers;
    private long _batches;
    private long _operations;
    private long _split;

    public PostgresStateStore(PostgresGrainStorageOptions options, ILogger<PostgresStateStore> logger)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Invalid grain storage options: {string.Join("; ", problems)}.");
        }

        _logger = logger;
        _maxBatchSize = options.MaxBatchSize;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);

        // One connection per worker; the same few statements on each, so they are prepared once per connection.
        builder.ConnectionStringBuilder.MaxPoolSize = options.Connections;
        builder.ConnectionStringBuilder.MinPoolSize = 0;
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        // Every statement is a lookup by the unique key, so the index is always the plan. A prepared statement
        // keeps the generic plan it was given, and one planned while the table's statistics said "empty" (a
        // new database, analyzed before it filled) is a sequential scan: seen as 400 scans a second of a
        // 15,000-row table, most of the machine's CPU in PostgreSQL, until the next autoanalyze replanned it.
        // The same for the updates combined into one statement (BulkUpdate): a nested loop of index lookups
        // is the only join planned, never a hash or merge join over the whole table.
        builder.ConnectionStringBuilder.Options =
            $"{builder.ConnectionStringBuilder.Options} -c enable_seqscan=off -c enable_hashjoin=off -c enable_mergejoin=off".Trim();
        _dataSource = builder.Build();
        _workers = [.. Enumerable.Range(0, options.Connections).Select(_ => Task.Run(Work))];
    }

    /// <summary>Transactions sent so far (each a batch of one or more operations, retries of a failed batch included).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Operations answered with a result so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Batches that failed on the server and were run again one operation at a time.</summary>
    public long SplitBatches => Interlocked.Read(ref _split);

    internal Task<TResult> Run<TResult>(StorageOperation<TResult> operation)
    {
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(PostgresStateStore), "The grain storage has stopped.");
        }

        return operation.Result;
    }

    /// <summary>Lets the workers finish what was queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        await _dataSource.DisposeAsync();
    }

    private async Task Work()
    {
        var batch = new List<IStorageOperation>(_maxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            if (batch.Count > 0)
            {
                await Execute(batch);
                batch.Clear();
            }
        }
    }

    private async Task Execute(List<IStorageOperation> batch)
    {
        try
        {
            try
            {
                await Send(batch);
            }
            catch (NpgsqlException error) when (error.IsTransient)
            {
                // A pooled connection that a database restart cut (57P01), a deadlock between two silos'
                // batches, a dropped socket: once more on a fresh connection. Safe for every operation: a
                // write that did commit before the failure finds its version moved and answers a conflict,
                // which the grain settles by reading its state again; it is never applied twice.
                LogRetried(_logger, error, batch.Count);
                _dataSource.Clear();
                await Send(batch);
            }

            batch.ForEach(o => o.Complete());
        }
        catch (PostgresException error) when (batch.Count > 1)
        {
            // One statement failed on the server and took the batch's transaction with it: each operation
            // alone, so the others are not failed for it.
            LogRetriedAlone(_logger, error, batch.Count, error.SqlState);
            Interlocked.Increment(ref _split);
            foreach (var operation in batch)
            {
                try
                {
                    await Send([operation]);
                    operation.Complete();
                }
                catch (Exception alone)
                {
                    operation.Fail(alone);
                }
            }
        }
        catch (Exception error)
        {
            batch.ForEach(o => o.Fail(error));
        }
    }

    private async Task Send(IReadOnlyList<IStorageOperation> batched)
    {
        var operations = BulkUpdate.Combine(batched);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var operation in operations)
        {
            batch.BatchCommands.Add(operation.Command());
        }

        // Disposing the reader reads up to the end of the batch, past its commit: an error there throws.
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var i = 0; i < operations.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync())
                {
                    throw new InvalidOperationException($"The batch answered {i} results for {operations.Count} operations.");
                }

                await operations[i].Read(reader);
            }
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _operations, batched.Count);
        BatchCounter.Add(1);
        BatchSizes.Record(batched.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Size} grain-state operations failed for a transient reason; sending it once more on a fresh connection.")]
    private static partial void LogRetried(ILogger logger, Exception exception, int size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Size} grain-state operations failed on the server ({SqlState}); running them one by one.")]
    private static partial void LogRetriedAlone(ILogger logger, Exception exception, int size, string sqlState);
}
