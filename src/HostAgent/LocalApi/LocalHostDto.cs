using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>
/// A host as the staging-hypervisor-agent contract answers it: strings as <c>virsh list --all</c> prints
/// them (the id is "-" while the domain is not running), so scripts written for that agent read it unchanged.
/// </summary>
public sealed record LocalHostDto(string Id, string Name, string State)
{
    public static LocalHostDto From(DomainInfo domain) =>
        new(domain.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", domain.Name, domain.State);
}
