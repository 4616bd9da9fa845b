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

    /// <summary><see cref="MemoryStorage"/> (single process, localhost clustering) or <see cref="PostgresStorage"/>.</summary>
    public string Storage { get; set; } = MemoryStorage;

    /// <summary>The Npgsql connection string; required with <see cref="PostgresStorage"/>.</summary>
    public string? ConnectionString { get; set; }

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

    /// <summary>Throws one exception listing every problem, so a misconfigured process fails at start with all of them.</summary>
    public ClusterSettings Validated()
    {
        var problems = Problems().ToList();
        return problems.Count == 0
            ? this
            : throw new InvalidOperationException("Invalid cluster configuration: " + string.Join("; ", problems) + ".");
    }
}
