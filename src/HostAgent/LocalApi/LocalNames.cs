using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>Every name the local API accepts is checked here before it can reach a command line.</summary>
public static class LocalNames
{
    public static bool IsVmName(string? name) => VmLimits.IsValidName(name);

    /// <summary>Network names are DNS labels too (libvirt network names, OVS port prefixes).</summary>
    public static bool IsNetworkName(string? name) => VmLimits.IsValidName(name);

    /// <summary>Linux interface names: at most 15 characters, lower-case letters, digits and inner hyphens.</summary>
    public static bool IsBridgeName(string? name) => VmLimits.IsValidName(name) && name!.Length <= 15;

    public static bool IsVlan(int? vlan) => vlan is >= 1 and <= 4094;
}
