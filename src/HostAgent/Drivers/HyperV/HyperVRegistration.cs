using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansCloud.HostAgent.Commands;

namespace OrleansCloud.HostAgent.Drivers.HyperV;

public static class HyperVRegistration
{
    /// <summary>The Hyper-V driver (name "hyperv"), used by hosts whose Driver is "hyperv".</summary>
    public static IServiceCollection AddHyperVDriver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HyperVOptions>().Bind(configuration.GetSection(HyperVOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.VlanId is >= 0 and <= 4094, "HyperV: Timeout > 0 and VlanId 0-4094")
            .Validate(o => o.ShutdownTimeout >= TimeSpan.FromSeconds(1) && o.ShutdownTimeout < o.Timeout, "HyperV: ShutdownTimeout at least 1 s and below Timeout");
        services.TryAddSingleton<ICommandRunner, CliWrapCommandRunner>();
        services.AddSingleton<HyperVDriver>();
        services.AddSingleton<IHypervisorDriver>(sp => sp.GetRequiredService<HyperVDriver>());
        return services;
    }
}
