using OrleansCloud.Common;

namespace OrleansCloud.Networks;

/// <summary>
/// The addresses of one subnet handed to their owners (interfaces), pure so that "never the same
/// address twice" is tested without Orleans; the network grain that owns it serialises every call.
/// An owner asking again gets the address it has; a freed address is handed out again only after
/// every never-used one, so a stale record of it is unlikely to meet a new owner.
/// </summary>
[GenerateSerializer, Alias("oc.AddressBook")]
public sealed class AddressBook
{
    /// <summary>Owner to address.</summary>
    [Id(0)] public Dictionary<string, string> Owners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The next never-handed-out address to try (as a 32-bit number).</summary>
    [Id(1)] public uint Cursor { get; set; }

    public Result<string> Allocate(Ipv4Subnet subnet, uint gateway, string owner)
    {
        if (Owners.TryGetValue(owner, out var known))
        {
            return known;
        }

        var used = Owners.Values.ToHashSet(StringComparer.Ordinal);
        if (Cursor < subnet.FirstHost || Cursor > subnet.LastHost)
        {
            Cursor = subnet.FirstHost;
        }

        // First the addresses after the cursor, then wrap round once to reuse freed ones.
        var candidates = (long)subnet.LastHost - subnet.FirstHost + 1;
        for (long i = 0; i < candidates; i++)
        {
            var address = (uint)(subnet.FirstHost + ((Cursor - subnet.FirstHost + i) % candidates));
            var text = Ipv4Subnet.Format(address);
            if (address != gateway && !used.Contains(text))
            {
                Owners[owner] = text;
                Cursor = address == subnet.LastHost ? subnet.FirstHost : address + 1;
                return text;
            }
        }

        return new Error(ErrorCodes.NoCapacity, $"Subnet {subnet} has no free address left.");
    }

    public bool Release(string owner) => Owners.Remove(owner);

    public int Count => Owners.Count;
}
