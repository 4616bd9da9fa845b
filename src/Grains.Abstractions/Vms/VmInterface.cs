using System.Globalization;

namespace OrleansCloud.Vms;

/// <summary>
/// A VM's place on a tenant network: the address and MAC its network handed to <see cref="Owner"/>
/// ("{vmId}/nic{n}"), with what a hypervisor needs to realise it (the network's VLAN, subnet and
/// gateway). The host network it joins is named by <see cref="NetworkId"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.VmInterface")]
public sealed record VmInterface(
    [property: Id(0)] string NetworkId,
    [property: Id(1)] string Network,
    [property: Id(2)] string Owner,
    [property: Id(3)] string Mac,
    [property: Id(4)] string Address,
    [property: Id(5)] string Subnet,
    [property: Id(6)] string Gateway,
    [property: Id(7)] int Vlan)
{
    public const string NicPrefix = "nic";

    /// <summary>The owner of a VM's n-th interface on its networks.</summary>
    public static string OwnerFor(string vmId, int index) => $"{vmId}/{NicPrefix}{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The interface's index in its owner ("vm-1/nic3" is 3), or -1.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Index
    {
        get
        {
            var at = Owner.LastIndexOf('/' + NicPrefix, StringComparison.Ordinal);
            return at >= 0 && int.TryParse(Owner.AsSpan(at + 1 + NicPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        }
    }

    /// <summary>The prefix length of <see cref="Subnet"/> ("10.0.0.0/24" is 24).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int PrefixLength => int.TryParse(Subnet.AsSpan(Subnet.IndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 32;

    /// <summary>The index the next interface of a VM with <paramref name="interfaces"/> gets.</summary>
    public static int NextIndex(IReadOnlyList<VmInterface>? interfaces) =>
        interfaces is { Count: > 0 } ? interfaces.Max(i => i.Index) + 1 : 0;
}
