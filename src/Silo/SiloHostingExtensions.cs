using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Dashboard;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.HostAgent;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Hosting;

namespace OrleansCloud.Silo;

public static class SiloHostingExtensions
{
    public const string PubSubStore = "PubSubStore";

    /// <summary>
    /// A control-plane silo: membership, grain state (default and <c>PubSubStore</c>) and reminders in
    /// memory or on PostgreSQL, the control-plane grains, memory streams, the dashboard. The all-in-one
    /// role adds a host agent announcing the configured (by default simulated) hosts; a control-plane
    /// role only carries the placement director that sends agent grains to the agents' silos.
    /// </summary>
    public static ISiloBuilder AddControlPlaneSilo(this ISiloBuilder silo, IConfiguration configuration, ClusterSettings settings, SiloRole role)
    {
        silo.UseClusterMembership(settings, configuration);
        if (settings.UsesPostgres)
        {
            silo.AddAdoNetGrainStorageAsDefault(o => UsePostgres(o, settings));
            silo.AddAdoNetGrainStorage(PubSubStore, o => UsePostgres(o, settings));
        }
        else
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage(PubSubStore);
        }

        silo.UseClusterReminders(settings);
        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddOrleansCloudGrains(configuration);
        if (role == SiloRole.AllInOne)
        {
            silo.AddHostAgent(configuration);
        }
        else
        {
            silo.AddHostAgentPlacement([]);
        }

        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// PostgreSQL with Orleans' own binary serializer: the state classes are [GenerateSerializer] with
    /// stable [Id]s, so stored state stays readable as they evolve. The Newtonsoft JSON default is
    /// unsafe here: it populates objects returned by get-only properties, and reading a tenant's state
    /// overwrote the shared ResourceAmount.Zero.
    /// </summary>
    private static void UsePostgres(OptionsBuilder<AdoNetGrainStorageOptions> options, ClusterSettings settings) =>
        options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = ClusterSettings.PostgresInvariant;
            o.ConnectionString = settings.ConnectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        });

    /// <summary>The Orleans dashboard under /dashboard.</summary>
    public static WebApplication MapControlPlaneDashboard(this WebApplication app)
    {
        // The dashboard's own JSON routes are not part of the API's OpenAPI document.
        app.MapOrleansDashboard(routePrefix: "/dashboard").ExcludeFromDescription();
        return app;
    }
}
