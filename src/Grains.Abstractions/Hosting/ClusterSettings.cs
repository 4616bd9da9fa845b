using System.Data.Common;
using System.Globalization;
using System.Net;

namespace OrleansCloud.Hosting;

/// <summary>
/// How a process joins the cluster and where state lives (configuration section "Orleans"; in the
/// environment <c>Orleans__Storage</c>, <c>Orleans__ConnectionString</c>, ...). The all-in-one default is
/// everything in memory on localhost; production is PostgreSQL for membership, grain state and reminders.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";
    public const string MemoryStorage = "Memory";
    public const string PostgresStorage = "Postgres";

    /// <summary>The ADO.NET invariant Orleans loads the PostgreSQL driver by.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Each process's share of PostgreSQL's connections when neither the connection string nor
    /// <c>Orleans:MaxPoolSize</c> says otherwise (one pool per process: clustering, state and reminders share
    /// the connection string). The README's "Under failure" section has the arithmetic: the documented
    /// topology (2 silos, 1 agent, 1 API) takes at most 2 x 20 + 10 + 5 = 55 of the default 100.
    /// </summary>
    public const int SiloPoolSize = 20;

    public const int AgentPoolSize = 10;

    public const int ApiPoolSize = 5;

    /// <summary>
    /// Npgsql's <c>Timeout</c> when the connection string has none: how long opening a connection, or waiting
    /// for a free one in an exhausted pool, may take before it fails (Npgsql's default is 15 s, three times
    /// the API's answer time).
    /// </summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary><see cref="MemoryStorage"/> (single process, localhost clustering) or <see cref="PostgresStorage"/>.</summary>
    public string Storage { get; set; } = MemoryStorage;

    /// <summary>The Npgsql connection string; required with <see cref="PostgresStorage"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// <c>Maximum Pool Size</c> of this process's PostgreSQL pool when the connection string names none;
    /// unset, the process's role decides (<see cref="SiloPoolSize"/>, <see cref="AgentPoolSize"/>, <see cref="ApiPoolSize"/>).
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>One deployment of the cluster; silos and clients only meet within it.</summary>
    public string ClusterId { get; set; } = "orleanscloud";

    /// <summary>The service whose state and reminders these are; keep it across deployments.</summary>
    public string ServiceId { get; set; } = "orleanscloud";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at (loopback by default).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Memory storage only: the silo port of the primary silo a secondary process joins (localhost clustering).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Mutual TLS on every cluster connection (silo to silo, agents, clients); off unless configured.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    /// <summary>
    /// <see cref="ConnectionString"/> with this project's pooling defaults for any the operator did not
    /// set: <c>No Reset On Close=true</c>, since Orleans' statements leave no session state behind and
    /// Npgsql's <c>DISCARD ALL</c> on every return to the pool was an extra round trip per statement
    /// (half of all transactions per vm.create); and, for a process that did not bound its pool by its role
    /// (<see cref="WithBoundedPool"/>), a pool of <see cref="DefaultMaxPoolSize"/>, so the documented
    /// topology fits PostgreSQL's default 100 connection slots.
    /// </summary>
    public string? PostgresConnectionString => WithPoolingDefaults(ConnectionString);

    /// <summary>Connections one process may hold: two silos, an agent and the API stay under 100 slots together.</summary>
    public const int DefaultMaxPoolSize = 20;

    public static string? WithPoolingDefaults(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        SetUnlessPresent(builder, ["No Reset On Close", "NoResetOnClose"], "true");
        SetUnlessPresent(builder, ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"], DefaultMaxPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return builder.ConnectionString;
    }

    private static void SetUnlessPresent(System.Data.Common.DbConnectionStringBuilder builder, string[] names, string value)
    {
        if (!names.Any(builder.ContainsKey))
        {
            builder[names[0]] = value;
        }
    }

    public bool UsesPostgres => string.Equals(Storage, PostgresStorage, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Problems()
    {
        if (!string.Equals(Storage, MemoryStorage, StringComparison.OrdinalIgnoreCase) && !UsesPostgres)
        {
            yield return $"Orleans:Storage must be '{MemoryStorage}' or '{PostgresStorage}', not '{Storage}'";
        }

        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Orleans:ConnectionString is required with Orleans:Storage=Postgres (see deploy/db.sh)";
        }

        if (MaxPoolSize is < 1 or > 1000)
        {
            yield return $"Orleans:MaxPoolSize must be between 1 and 1000, not {MaxPoolSize}";
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "Orleans:ClusterId and Orleans:ServiceId must not be empty";
        }

        if (SiloPort is < 1 or > 65535 || GatewayPort is < 0 or > 65535 || SiloPort == GatewayPort)
        {
            yield return "Orleans:SiloPort and Orleans:GatewayPort must be distinct ports (GatewayPort 0: no gateway)";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"Orleans:AdvertisedAddress must be an IP address, not '{AdvertisedAddress}'";
        }

        foreach (var problem in Tls.Problems())
        {
            yield return problem;
        }
    }

    /// <summary>
    /// Bounds this process's PostgreSQL pool: <c>Maximum Pool Size</c> (the connection string's own value, else
    /// <see cref="MaxPoolSize"/>, else <paramref name="defaultMaxPoolSize"/>) and <c>Timeout</c>
    /// (<see cref="ConnectTimeoutSeconds"/> unless given), so that the topology's processes together stay under
    /// the server's <c>max_connections</c> and an exhausted pool fails in seconds instead of hanging.
    /// </summary>
    public ClusterSettings WithBoundedPool(int defaultMaxPoolSize)
    {
        if (!UsesPostgres || string.IsNullOrWhiteSpace(ConnectionString))
        {
            return this;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        if (!builder.ContainsKey("Maximum Pool Size") && !builder.ContainsKey("Max Pool Size") && !builder.ContainsKey("MaxPoolSize"))
        {
            builder["Maximum Pool Size"] = (MaxPoolSize ?? defaultMaxPoolSize).ToString(CultureInfo.InvariantCulture);
        }

        if (!builder.ContainsKey("Timeout"))
        {
            builder["Timeout"] = ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        }

        ConnectionString = builder.ConnectionString;
        return this;
    }

    /// <summary>Throws one exception listing every problem, so a misconfigured process fails at start with all of them.</summary>
    public ClusterSettings Validated()
    {
        var problems = Problems().ToList();
        return problems.Count == 0
            ? this
            : throw new InvalidOperationException("Invalid cluster configuration: " + string.Join("; ", problems) + ".");
    }
}
