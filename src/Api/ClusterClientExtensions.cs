using Orleans.Configuration;
using Orleans.Serialization;
using OrleansCloud.Hosting;

namespace OrleansCloud.Api;

public static class ClusterClientExtensions
{
    /// <summary>Finds the cluster's gateways: in the PostgreSQL membership table, or on localhost in memory mode.</summary>
    public static IClientBuilder UseClusterGateways(this IClientBuilder client, ClusterSettings settings)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        client.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add(ClusterSettings.PostgresInvariant));
        client.UseClusterTls(settings);
        if (settings.UsesPostgres)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterSettings.PostgresInvariant;
                o.ConnectionString = settings.PostgresConnectionString;
            });
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }

        return client;
    }
}
