using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// Ranks hosts for a placement: up, heartbeat fresher than the limit, in the area, with every
/// required capability and room for the amount counting claims in flight. Best first: the most
/// free capacity left after placement (spreads load), then the freshest heartbeat, then the name.
/// </summary>
public static class HostElection
{
    public static IReadOnlyList<string> Rank(
        IEnumerable<HostSnapshot> hosts, PlacementRequest request, DateTimeOffset now, TimeSpan maxHeartbeatAge) =>
        [.. hosts
            .Where(h => IsEligible(h, request, now, maxHeartbeatAge))
            .OrderByDescending(h => Score(h, request.Amount))
            .ThenByDescending(h => h.LastHeartbeat)
            .ThenBy(h => h.HostName, StringComparer.Ordinal)
            .Select(h => h.HostName)];

    public static bool IsEligible(HostSnapshot host, PlacementRequest request, DateTimeOffset now, TimeSpan maxHeartbeatAge) =>
        host.State == HostState.Up
        && now - host.LastHeartbeat <= maxHeartbeatAge
        && (request.Area is null || string.Equals(host.Area, request.Area, StringComparison.Ordinal))
        && request.RequiredCapabilities.All(c => host.Capabilities.Contains(c, StringComparer.Ordinal))
        && (request.ExcludedHosts is null || !request.ExcludedHosts.Contains(host.HostName, StringComparer.Ordinal))
        && request.Amount.FitsWithin(host.Free);

    /// <summary>The mean fraction of cpu, memory and storage left free after placing the amount.</summary>
    public static double Score(HostSnapshot host, ResourceAmount amount)
    {
        var after = host.Free - amount;
        return (Fraction(after.Vcpus, host.Capacity.Vcpus)
            + Fraction(after.RamMb, host.Capacity.RamMb)
            + Fraction(after.DiskGb, host.Capacity.DiskGb)) / 3.0;
    }

    private static double Fraction(long free, long capacity) => capacity <= 0 ? 0 : (double)free / capacity;
}
