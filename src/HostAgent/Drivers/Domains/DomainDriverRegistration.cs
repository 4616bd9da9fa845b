using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Drivers.Simulated;

namespace OrleansCloud.HostAgent.Drivers.Domains;

public static class DomainDriverRegistration
{
    /// <summary>
    /// The local API's domain and network drivers, keyed by the driver name a host is configured with
    /// ("libvirt", "simulated"). Needs the hypervisor drivers' registrations (options, command runner).
    /// </summary>
    public static IServiceCollection AddDomainDrivers(this IServiceCollection services)
    {
        services.AddHttpClient(LibvirtDomains.InstallTreeClient, client => client.Timeout = TimeSpan.FromMinutes(10));
        services.AddKeyedSingleton<IDomainDriver, LibvirtDomains>(LibvirtDriver.DriverName);
        services.AddKeyedSingleton<IVirtualNetworkDriver, LibvirtNetworks>(LibvirtDriver.DriverName);
        services.AddKeyedSingleton<IDomainDriver, SimulatedDomains>(SimulatedDriver.DriverName);
        services.AddKeyedSingleton<IVirtualNetworkDriver, SimulatedVirtualNetworks>(SimulatedDriver.DriverName);
        return services;
    }
}
