using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>The one host the local API acts on, with its domain and network drivers.</summary>
public sealed class LocalHypervisor(string hostName, IDomainDriver domains, IVirtualNetworkDriver networks)
{
    public string HostName { get; } = hostName;

    public IDomainDriver Domains { get; } = domains;

    public IVirtualNetworkDriver Networks { get; } = networks;

    /// <summary>Resolves the configured host (or the first announced one) and the drivers its driver name selects.</summary>
    public static LocalHypervisor Resolve(LocalApiOptions options, AnnouncedHosts hosts, IServiceProvider services)
    {
        var host = string.IsNullOrEmpty(options.Host) ? hosts.All.FirstOrDefault() : hosts.Find(options.Host);
        if (host is null)
        {
            throw new InvalidOperationException(string.IsNullOrEmpty(options.Host)
                ? "HostAgent:LocalApi needs at least one announced host"
                : $"HostAgent:LocalApi:Host '{options.Host}' is not one of this agent's hosts");
        }

        var driver = host.Driver.ToLowerInvariant();
        var domains = services.GetKeyedService<IDomainDriver>(driver)
            ?? throw new InvalidOperationException($"the local API cannot drive host {host.Name}: driver '{host.Driver}' has no domain driver (libvirt and simulated do)");
        var networks = services.GetRequiredKeyedService<IVirtualNetworkDriver>(driver);
        return new LocalHypervisor(host.Name, domains, networks);
    }
}
