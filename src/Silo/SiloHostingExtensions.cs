using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.HostAgent;

namespace OrleansCloud.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// One silo with everything in memory: the control-plane grains, a host agent announcing the
    /// configured (by default simulated) hosts, the dashboard. Ports come from Orleans:SiloPort and
    /// Orleans:GatewayPort so several all-in-ones (tests) can run side by side.
    /// </summary>
    public static ISiloBuilder AddAllInOneSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloPort = configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration["Orleans:ClusterId"] ?? "orleanscloud-aio";
            o.ServiceId = configuration["Orleans:ServiceId"] ?? "orleanscloud";
        });
        silo.AddMemoryGrainStorageAsDefault();
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.UseInMemoryReminderService();
        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddOrleansCloudGrains(configuration);
        silo.AddHostAgent(configuration);
        silo.AddDashboard();
        return silo;
    }

    /// <summary>The Orleans dashboard under /dashboard.</summary>
    public static WebApplication MapControlPlaneDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
