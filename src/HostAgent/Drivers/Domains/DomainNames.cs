using System.Buffers;

namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>
/// The allow-lists every name of the local API passes before it reaches a command line or a file name.
/// None admits a slash, a space, a shell or XML metacharacter, or a leading hyphen (which a command could
/// read as an option).
/// </summary>
public static class DomainNames
{
    private static readonly SearchValues<char> LabelChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> NetworkChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    private static readonly SearchValues<char> BridgeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public const string HostRule = "must be a host name: dot-separated labels of lower-case letters, digits and inner hyphens, each 1-63 long, 253 in all";

    public const string NetworkRule = "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

    public const string BridgeRule = "must be 1-15 letters, digits, '_' or '-', starting with a letter or digit";

    /// <summary>A host (libvirt domain) name: a DNS name such as <c>ns.example.com</c> or a single label such as <c>web-1</c>.</summary>
    public static bool IsHostName(string? name) =>
        name is { Length: >= 1 and <= 253 } && name.Split('.').All(IsLabel);

    /// <summary>A libvirt network name such as <c>ns_example_com_vlan_10</c>.</summary>
    public static bool IsNetworkName(string? name) =>
        name is { Length: >= 1 and <= 64 } && char.IsAsciiLetterOrDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(NetworkChars);

    /// <summary>An Open vSwitch bridge, which is a Linux interface: at most 15 characters.</summary>
    public static bool IsBridgeName(string? name) =>
        name is { Length: >= 1 and <= 15 } && char.IsAsciiLetterOrDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(BridgeChars);

    public static bool IsVlan(long? vlan) => vlan is >= 1 and <= 4094;

    private static bool IsLabel(string label) =>
        label is { Length: >= 1 and <= 63 } && label[0] != '-' && label[^1] != '-' && !label.AsSpan().ContainsAnyExcept(LabelChars);
}
