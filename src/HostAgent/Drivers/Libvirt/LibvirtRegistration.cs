using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Ovs;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

public static class LibvirtRegistration
{
    /// <summary>The libvirt driver (name "libvirt") and its Open vSwitch network driver; used by hosts whose Driver is "libvirt".</summary>
    public static IServiceCollection AddLibvirtDriver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LibvirtOptions>().Bind(configuration.GetSection(LibvirtOptions.Section))
            .Validate(o => !o.Problems().Any(), "Libvirt: DomainType auto|kvm|qemu, absolute StorageDir and ImagesDir, StoragePool a pool name, DefaultNetwork a network name");
        services.TryAddSingleton<ICommandRunner, CliWrapCommandRunner>();
        services.AddSingleton<LibvirtDriver>();
        services.AddSingleton<IHypervisorDriver>(sp => sp.GetRequiredService<LibvirtDriver>());
        services.AddSingleton<OvsNetworkDriver>();
        services.AddKeyedSingleton<INetworkDriver>(LibvirtDriver.DriverName, (sp, _) => sp.GetRequiredService<OvsNetworkDriver>());
        return services;
    }
}
