using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansCloud.HostAgent.LocalApi;
using OrleansCloud.Hosting;

namespace OrleansCloud.HostAgent.Hosting;

/// <summary>
/// The host agent process. Standalone, it is only the local API in front of its hypervisor, serving at
/// once. In a cluster, it is a silo that joins the control plane and hosts only the agent grains of the
/// hosts it announces, plus the local API.
/// </summary>
public static partial class HostAgentApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(ProcessArguments.WithoutConfigReload(args));
        builder.Configuration.AddOrleansCloudLoggingDefaults();
        var settings = builder.Configuration.ReadClusterSettings().WithBoundedPool(ClusterSettings.AgentPoolSize);
        var localApi = builder.Configuration.GetSection(LocalApiOptions.Section).Get<LocalApiOptions>() ?? new LocalApiOptions();
        var standalone = IsStandalone(builder.Configuration, settings);
        if (standalone)
        {
            if (!localApi.Enabled)
            {
                throw new InvalidOperationException("A standalone host agent only serves its local API: HostAgent:LocalApi:Enabled must not be false");
            }

            builder.Services.AddHostAgentDrivers(builder.Configuration);
        }
        else
        {
            JoinCluster(builder, settings);
        }

        if (localApi.Enabled)
        {
            builder.Services.AddHostAgentLocalApi(builder.Configuration);
            builder.WebHost.UseUrls(localApi.Urls);
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        var app = builder.Build();
        if (localApi.Enabled)
        {
            app.MapHostAgentLocalApi();
        }

        var hypervisor = localApi.Enabled ? app.Services.GetRequiredService<LocalHypervisor>().HostName : "-";
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (standalone)
            {
                LogStandalone(app.Logger, hypervisor, localApi.Urls);
            }
            else
            {
                LogClusterMember(app.Logger, settings.UsesPostgres ? "the PostgreSQL membership table" : $"the silo at port {settings.PrimarySiloPort}");
            }
        });
        return app;
    }

    /// <summary><c>HostAgent:Standalone</c> when set; otherwise standalone unless a control plane is configured.</summary>
    public static bool IsStandalone(IConfiguration configuration, ClusterSettings settings) =>
        configuration.GetValue<bool?>($"{HostAgentOptions.Section}:{nameof(HostAgentOptions.Standalone)}")
            ?? !(settings.UsesPostgres || settings.PrimarySiloPort is not null);

    private static void JoinCluster(WebApplicationBuilder builder, ClusterSettings settings)
    {
        if (builder.Configuration["Orleans:SiloPort"] is null)
        {
            // Beside a control-plane silo on the same machine's default ports.
            (settings.SiloPort, settings.GatewayPort) = (11112, 0);
        }

        if (!settings.UsesPostgres)
        {
            settings.PrimarySiloPort ??= 11111;
        }

        builder.UseOrleans(silo =>
        {
            silo.UseClusterMembership(settings, builder.Configuration);
            silo.UseClusterReminders(settings);
            silo.AddHostAgent(builder.Configuration);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone host agent: no cluster; the local API for host {Host} serves on {Urls}")]
    private static partial void LogStandalone(ILogger logger, string host, string urls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host agent joined the cluster through {Membership}")]
    private static partial void LogClusterMember(ILogger logger, string membership);
}
