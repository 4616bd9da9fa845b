using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansCloud.Networks;

/// <summary>
/// An IPv4 subnet in CIDR form (prefix 8 to 30). Its first address is the network, its last the
/// broadcast; the one after the network is the gateway by default, and the rest are for interfaces.
/// </summary>
public readonly record struct Ipv4Subnet(uint Network, int Prefix)
{
    public const int MinPrefix = 8;
    public const int MaxPrefix = 30;

    public uint Size => 1u << (32 - Prefix);

    public uint Broadcast => Network + Size - 1;

    public uint FirstHost => Network + 1;

    public uint LastHost => Broadcast - 1;

    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        var parts = text?.Split('/');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < MinPrefix or > MaxPrefix
            || !TryParseAddress(parts[0], out var address))
        {
            return false;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        if ((address & mask) != address)
        {
            return false; // host bits set: "10.0.0.5/24" names no subnet
        }

        subnet = new Ipv4Subnet(address, prefix);
        return true;
    }

    public static bool TryParseAddress(string? text, out uint address)
    {
        address = 0;
        if (text is null || text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        address = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return true;
    }

    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");

    public bool Contains(uint address) => address >= Network && address <= Broadcast;

    /// <summary>Whether the address can be a gateway or an interface's: inside, neither network nor broadcast.</summary>
    public bool IsHost(uint address) => address >= FirstHost && address <= LastHost;

    public bool Overlaps(Ipv4Subnet other) => Network <= other.Broadcast && other.Network <= Broadcast;

    public override string ToString() => $"{Format(Network)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}
