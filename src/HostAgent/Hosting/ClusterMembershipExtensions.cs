using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using OrleansCloud.Hosting;

namespace OrleansCloud.HostAgent.Hosting;

public static class ClusterMembershipExtensions
{
    /// <summary>Reads and validates the "Orleans" section; a bad value stops the process at start.</summary>
    public static ClusterSettings ReadClusterSettings(this IConfiguration configuration) =>
        (configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings()).Validated();

    /// <summary>
    /// Joins the cluster: ADO.NET membership on PostgreSQL, or localhost clustering for a single
    /// machine in memory (a secondary process names the primary's silo port).
    /// </summary>
    public static ISiloBuilder UseClusterMembership(this ISiloBuilder silo, ClusterSettings settings, IConfiguration configuration)
    {
        // Failure detection can be tuned (Orleans:Membership:ProbeTimeout, NumMissedProbesLimit, ...).
        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection($"{ClusterSettings.Section}:Membership"));

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });

        // A database failure or a placement timeout must reach the caller as itself (the API answers both
        // with 503), not as "no codec for Npgsql.PostgresException" or "for Polly.Timeout.TimeoutRejectedException".
        silo.Services.Configure<ExceptionSerializationOptions>(ClusterExceptions.AllowOnTheWire);

        // Mutual TLS on silo-to-silo, agent and gateway connections when Orleans:Tls is configured.
        silo.UseClusterTls(settings);

        if (settings.UsesPostgres)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterSettings.PostgresInvariant;
                o.ConnectionString = settings.PostgresConnectionString;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        }
        else
        {
            var primary = settings.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ServiceId, settings.ClusterId);
        }

        return silo;
    }

    /// <summary>
    /// The reminder service, on every silo of the cluster: Orleans spreads reminders over all silos'
    /// services by hash, host agent silos included, so each one must run it on the same table.
    /// </summary>
    public static ISiloBuilder UseClusterReminders(this ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.UsesPostgres)
        {
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = ClusterSettings.PostgresInvariant;
                o.ConnectionString = settings.PostgresConnectionString;
            });
        }
        else
        {
            silo.UseInMemoryReminderService();
        }

        return silo;
    }
}
