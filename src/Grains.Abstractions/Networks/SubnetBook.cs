using OrleansCloud.Common;

namespace OrleansCloud.Networks;

/// <summary>
/// The subnets of an area's networks, pure so that "never overlapping" is tested without Orleans; the
/// area grain that owns it serialises every call. A network asking again gets the subnet it holds.
/// </summary>
[GenerateSerializer, Alias("oc.SubnetBook")]
public sealed class SubnetBook
{
    /// <summary>Network id to its subnet (CIDR).</summary>
    [Id(0)] public Dictionary<string, string> Networks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The network's subnet: <paramref name="wanted"/> when given (it must not overlap another network's),
    /// else the first free subnet of <paramref name="prefix"/> carved from <paramref name="pool"/>.
    /// </summary>
    public Result<string> Allocate(string networkId, string? wanted, Ipv4Subnet pool, int prefix)
    {
        var held = Networks.Values.Select(c => Ipv4Subnet.TryParse(c, out var s) ? s : default).Where(s => s != default).ToList();
        if (Networks.TryGetValue(networkId, out var known))
        {
            return wanted is null || wanted == known ? known : Error.Conflict($"Network '{networkId}' holds subnet {known} already.");
        }

        if (wanted is not null)
        {
            if (!Ipv4Subnet.TryParse(wanted, out var asked))
            {
                return Error.Validation("data.subnet", "must be an IPv4 CIDR");
            }

            if (held.FirstOrDefault(s => s.Overlaps(asked)) is var other && other != default)
            {
                return Error.Conflict($"Subnet {asked} overlaps {other}, which another network of the area uses.");
            }

            Networks[networkId] = asked.ToString();
            return asked.ToString();
        }

        if (prefix < pool.Prefix)
        {
            return new Error(ErrorCodes.NoCapacity, $"The area's subnet pool {pool} is smaller than a /{prefix}.");
        }

        // Walk the pool in /prefix steps; skip past whatever a held subnet covers.
        var step = 1u << (32 - prefix);
        for (ulong candidate = pool.Network; candidate + step - 1 <= pool.Broadcast; candidate += step)
        {
            var subnet = new Ipv4Subnet((uint)candidate, prefix);
            var clash = held.FirstOrDefault(s => s.Overlaps(subnet));
            if (clash == default)
            {
                Networks[networkId] = subnet.ToString();
                return subnet.ToString();
            }

            // Jump to the first /prefix boundary after the clashing subnet, less this step.
            var after = ((ulong)clash.Broadcast + 1 + step - 1) / step * step;
            candidate = Math.Max(candidate, after - step);
        }

        return new Error(ErrorCodes.NoCapacity, $"The area's subnet pool {pool} has no free /{prefix} left.");
    }

    public bool Release(string networkId) => Networks.Remove(networkId);
}
