using System.Net;
using System.Net.Sockets;

namespace OrleansCloud.Areas;

/// <summary>The structural rules of an area's settings, shared by the API's validation and the grain's own check.</summary>
public static class AreaRules
{
    /// <summary>An IPv4 network in CIDR form whose address is the network's first (no host bits set), e.g. 10.20.0.0/16.</summary>
    public static bool IsIPv4Cidr(string? text) =>
        text is not null
        && text.Length <= 18
        && IPNetwork.TryParse(text, out var network)
        && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        && network.ToString() == text;

    /// <summary>Every violation by field (<c>vlanRange</c>, <c>subnetPool</c>, <c>publicSubnet</c>); empty when valid.</summary>
    public static Dictionary<string, string[]> Check(AreaSettings settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (!settings.VlanRange.IsValid)
        {
            errors["vlanRange"] = [$"from and to must lie in {VlanRange.MinVlan}-{VlanRange.MaxVlan}, from <= to"];
        }

        if (!IsIPv4Cidr(settings.SubnetPool))
        {
            errors["subnetPool"] = ["must be an IPv4 network in CIDR form with no host bits set, e.g. 10.20.0.0/16"];
        }

        if (settings.PublicSubnet is not null && !IsIPv4Cidr(settings.PublicSubnet))
        {
            errors["publicSubnet"] = ["must be an IPv4 network in CIDR form with no host bits set, e.g. 203.0.113.0/24"];
        }

        return errors;
    }
}
