namespace OrleansCloud.HostAgent.Hosting.Storage;

/// <summary>
/// The <c>GrainStorage</c> settings of a silo whose grain state is on PostgreSQL (not under
/// <c>Orleans:</c>, where Orleans reads every <c>Orleans:GrainStorage:{name}</c> as a provider of its own).
/// </summary>
public sealed class PostgresGrainStorageOptions
{
    public const string Section = "GrainStorage";

    /// <summary>Set from the cluster's connection string, not read from this section.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Batches in flight at once, one connection each. Fewer means larger batches (fewer transactions)
    /// and a longer wait behind the batch in flight; more means the reverse.
    /// </summary>
    public int Connections { get; set; } = 4;

    /// <summary>Operations in one batch at most.</summary>
    public int MaxBatchSize { get; set; } = 64;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "a PostgreSQL connection string is required";
        }

        if (Connections is < 1 or > 64)
        {
            yield return $"Connections must be between 1 and 64 (was {Connections})";
        }

        if (MaxBatchSize is < 1 or > 1000)
        {
            yield return $"MaxBatchSize must be between 1 and 1000 (was {MaxBatchSize})";
        }
    }
}
