using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using OrleansCloud.Api.Cluster;
using OrleansCloud.Hosting;

namespace OrleansCloud.Api;

public static class ClusterClientExtensions
{
    /// <summary>
    /// How often the client rereads the gateway list: a silo that joins (or comes back with a new
    /// generation) takes API traffic within this time. Orleans' default is a minute.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A gateway that has not completed its (TLS) handshake by then is passed over for another: a frozen
    /// silo still listed in the membership table accepts the TCP connection and then says nothing.
    /// Orleans' default is 5 s; a live one on the same network answers in milliseconds.
    /// </summary>
    public static readonly TimeSpan OpenConnectionTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often the client polls its gateway for the cluster's type manifest, and (capped at 5 s) how long
    /// it waits before asking another gateway when one fails to answer. Orleans' default is a minute: a
    /// restarted API that first asked a frozen gateway waited its response timeout plus 5 s.
    /// </summary>
    public static readonly TimeSpan ManifestRefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The API as an Orleans client of the cluster (its own process): the client connects beside Kestrel
    /// instead of before it, so the API serves (503 until connected) from its first second and never fails
    /// its start because the cluster or the database is not up yet; it keeps retrying until it connects.
    /// </summary>
    public static WebApplicationBuilder AddOrleansCloudClusterClient(this WebApplicationBuilder builder, ClusterSettings settings)
    {
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddSingleton<ClusterConnection>();
        builder.UseOrleansClient(client => client.UseClusterGateways(settings));
        return builder;
    }

    /// <summary>Finds the cluster's gateways: in the PostgreSQL membership table, or on localhost in memory mode.</summary>
    public static IClientBuilder UseClusterGateways(this IClientBuilder client, ClusterSettings settings)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        client.Services.Configure<ExceptionSerializationOptions>(ClusterExceptions.AllowOnTheWire);

        // No call waits Orleans' 30 s default: a call the cluster cannot answer in the API's time is a 503.
        client.Services.AddOptions<ClientMessagingOptions>()
            .Configure<IOptions<ClusterCallOptions>>((messaging, calls) => messaging.ResponseTimeout = calls.Value.ClusterCallTimeout);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = OpenConnectionTimeout);
        client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = ManifestRefreshInterval);
        client.Services.TryAddSingleton(TimeProvider.System);
        client.UseConnectionRetryFilter<ClusterConnectionRetry>();
        client.AddOutgoingGrainCallFilter<ClusterCallBudgetFilter>();
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
