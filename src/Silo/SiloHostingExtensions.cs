using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Providers;
using Orleans.Dashboard;
using OrleansCloud.Api;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Common;
using OrleansCloud.Grains;
using OrleansCloud.HostAgent;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.Hosting.Storage;
using OrleansCloud.Hosting;

namespace OrleansCloud.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// A control-plane silo: membership, grain state and reminders in memory or on PostgreSQL, the
    /// control-plane grains, the dashboard. The all-in-one
    /// role adds a host agent announcing the configured (by default simulated) hosts; a control-plane
    /// role only carries the placement director that sends agent grains to the agents' silos.
    /// </summary>
    public static ISiloBuilder AddControlPlaneSilo(this ISiloBuilder silo, IConfiguration configuration, ClusterSettings settings, SiloRole role)
    {
        silo.UseClusterMembership(settings, configuration);
        if (settings.UsesPostgres)
        {
            silo.AddPostgresGrainStorage(settings.PostgresConnectionString!, configuration, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        }
        else
        {
            silo.AddMemoryGrainStorageAsDefault();
        }

        silo.UseClusterReminders(settings);
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
    /// The Orleans dashboard under /dashboard, never anonymously on the API's port: with
    /// <see cref="DashboardAccess.Admin"/> it needs an administrator's token; with
    /// <see cref="DashboardAccess.Loopback"/> it answers only connections to a loopback address (and to
    /// <c>Dashboard:Port</c> when set); anything else gets a problem answer and never reaches it.
    /// </summary>
    public static WebApplication MapControlPlaneDashboard(this WebApplication app, DashboardOptions options, SiloRole role)
    {
        var access = options.For(role);
        if (access == DashboardAccess.Off)
        {
            return app;
        }

        if (access == DashboardAccess.Loopback)
        {
            app.UseWhen(http => http.Request.Path.StartsWithSegments(ApiHostingExtensions.DashboardPath), branch => branch.Use((http, next) =>
            {
                var local = http.Connection.LocalIpAddress;
                var onLoopback = local is null || System.Net.IPAddress.IsLoopback(local);
                var onPort = options.Port is not { } port || http.Connection.LocalPort == port || local is null;
                return onLoopback && onPort
                    ? next(http)
                    : Problems.Write(http, Error.NotFound("The dashboard"));
            }));
        }

        // The dashboard's own JSON routes are not part of the API's OpenAPI document.
        var dashboard = app.MapOrleansDashboard(routePrefix: ApiHostingExtensions.DashboardPath).ExcludeFromDescription();
        if (access == DashboardAccess.Admin)
        {
            dashboard.RequireAuthorization(Policies.Admin);
            app.MapDashboardSignIn();
        }

        return app;
    }

    /// <summary>Reads and checks the Dashboard section; with a loopback port of its own, also listens there.</summary>
    public static DashboardOptions AddDashboardExposure(this WebApplicationBuilder builder, SiloRole role)
    {
        var options = builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        var problems = options.Problems(role).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid dashboard configuration: " + string.Join("; ", problems) + ".");
        }

        if (options.For(role) == DashboardAccess.Loopback && options.Port is { } port)
        {
            var urls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? AllInOneDefaults.DefaultUrl;
            builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), $"http://127.0.0.1:{port}"]);
        }

        if (options.For(role) == DashboardAccess.Admin)
        {
            builder.Services.AddDashboardSignIn();
        }

        return options;
    }
}
