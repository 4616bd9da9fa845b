using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Drivers.HyperV;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.HostAgent.Heartbeat;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.Placement;
using OrleansCloud.Placement;

namespace OrleansCloud.HostAgent;

public static class HostAgentHostingExtensions
{
    /// <summary>
    /// Makes this silo a host agent: it announces the configured hosts in its silo metadata, hosts
    /// their agent grains, runs their drivers and reports their heartbeats.
    /// </summary>
    public static ISiloBuilder AddHostAgent(this ISiloBuilder builder, IConfiguration configuration)
    {
        var hosts = builder.Services.AddHostAgentDrivers(configuration);
        builder.Services.AddHostedService<HeartbeatService>();
        builder.Services.AddHostedService<Reconciliation.ReconciliationService>();
        // An agent may be the first to call a control-plane grain (through its gateway, when it has one).
        builder.AddTenantPlacement();
        return builder.AddHostAgentPlacement(hosts.Names);
    }

    /// <summary>
    /// The hosts this agent announces and the drivers behind them, without Orleans: what the agent
    /// grains and the local REST API both use.
    /// </summary>
    public static AnnouncedHosts AddHostAgentDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HostAgentOptions.Section);
        var options = section.Get<HostAgentOptions>() ?? new HostAgentOptions();

        // Validated now: the announced names go into the silo metadata before anything starts.
        var hosts = AnnouncedHosts.FromOptions(options);
        services.AddOptions<HostAgentOptions>().Bind(section);
        services.AddSingleton(hosts);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SimulatedFaults>();
        services.AddSingleton<SimulatedDriver>();
        services.AddSingleton<IHypervisorDriver>(sp => sp.GetRequiredService<SimulatedDriver>());
        services.AddKeyedSingleton<INetworkDriver, SimulatedNetworks>(SimulatedDriver.DriverName);
        services.AddLibvirtDriver(configuration);
        services.AddHyperVDriver(configuration);
        services.AddSingleton<DriverRegistry>();
        return hosts;
    }

    /// <summary>
    /// Every silo of the cluster needs the placement director (any silo may place an agent grain);
    /// a control-plane silo announces no hosts.
    /// </summary>
    public static ISiloBuilder AddHostAgentPlacement(this ISiloBuilder builder, IReadOnlyCollection<string> announcedHosts)
    {
        builder.UseSiloMetadata(new Dictionary<string, string> { [AnnouncedHostsMetadata.Key] = AnnouncedHostsMetadata.Format(announcedHosts) });
        builder.AddPlacementDirector<HostAgentPlacementStrategy, HostAgentPlacementDirector>();
        return builder;
    }
}
