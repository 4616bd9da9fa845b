using OrleansCloud.Vms;

namespace OrleansCloud.Networks;

/// <summary>network.create's data rules, shared by the API's schema and the grain's own check: the field name to its problems.</summary>
public static class NetworkRules
{
    public const int MinVlan = 1;
    public const int MaxVlan = 4094;

    public static Dictionary<string, string[]> Check(string? name, string? area, int? vlan, string? subnet, string? gateway)
    {
        var errors = new Dictionary<string, string[]>();
        if (name is not null && !VmLimits.IsValidName(name))
        {
            errors["data.name"] = ["must be 1-63 lower-case letters, digits or inner hyphens"];
        }

        if (area is not null && !VmLimits.IsValidName(area))
        {
            errors["data.area"] = ["must be an area id"];
        }

        if (vlan is < MinVlan or > MaxVlan)
        {
            errors["data.vlan"] = [$"must be between {MinVlan} and {MaxVlan}"];
        }

        Ipv4Subnet parsed = default;
        if (subnet is not null && !Ipv4Subnet.TryParse(subnet, out parsed))
        {
            errors["data.subnet"] = [$"must be an IPv4 CIDR with a prefix from /{Ipv4Subnet.MinPrefix} to /{Ipv4Subnet.MaxPrefix} and no host bits"];
        }

        if (gateway is not null)
        {
            if (subnet is null)
            {
                errors["data.gateway"] = ["needs the subnet it belongs to"];
            }
            else if (!Ipv4Subnet.TryParseAddress(gateway, out var address) || (parsed != default && !parsed.IsHost(address)))
            {
                errors["data.gateway"] = ["must be a host address of the subnet"];
            }
        }

        return errors;
    }
}
