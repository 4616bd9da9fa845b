using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>A network as the contract answers it: the strings of <c>virsh net-list --all</c> ("active"/"inactive", "yes"/"no").</summary>
public sealed record LocalNetworkDto(string Name, string State, string Autostart, string Persistent)
{
    public static LocalNetworkDto From(VirtualNetworkInfo network) =>
        new(network.Name, network.Active ? "active" : "inactive", network.Autostart ? "yes" : "no", network.Persistent ? "yes" : "no");
}
