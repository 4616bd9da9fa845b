using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// The rules of an election, pure: which host may take an amount, and how much room a host has.
/// <see cref="PlacementView"/> applies them over an index instead of sorting every host.
/// </summary>
public static class HostElection
{
    /// <summary>
    /// Up, heartbeat fresher than the limit, in the area, with every required capability, not excluded,
    /// and room for the amount counting claims in flight, on the host and on the storage pool the disk would
    /// go on (see <see cref="StoragePlacement"/>).
    /// </summary>
    public static bool IsEligible(HostSnapshot host, PlacementRequest request, DateTimeOffset now, TimeSpan maxHeartbeatAge) =>
        host.State == HostState.Up
        && now - host.LastHeartbeat <= maxHeartbeatAge
        && (request.Area is null || string.Equals(host.Area, request.Area, StringComparison.Ordinal))
        && HasAll(host.Capabilities, request.RequiredCapabilities)
        && (request.ExcludedHosts is null || !request.ExcludedHosts.Contains(host.HostName, StringComparer.Ordinal))
        && request.Amount.FitsWithin(host.Free)
        && StoragePlacement.HasRoom(host.StoragePools, request.Pool, request.Amount.DiskGb);

    /// <summary>The mean fraction of cpu, memory and storage left free after placing the amount.</summary>
    public static double Score(HostSnapshot host, ResourceAmount amount)
    {
        var after = host.Free - amount;
        return (Fraction(after.Vcpus, host.Capacity.Vcpus)
            + Fraction(after.RamMb, host.Capacity.RamMb)
            + Fraction(after.DiskGb, host.Capacity.DiskGb)) / 3.0;
    }

    /// <summary>True when a host has nothing left in some resource: it can take no ordinary VM.</summary>
    public static bool IsExhausted(HostSnapshot host)
    {
        var free = host.Free;
        return free.Vcpus <= 0 || free.RamMb <= 0 || free.DiskGb <= 0 || free.Vms <= 0;
    }

    public static bool HasAll(IReadOnlyList<string> offered, IReadOnlyList<string> required)
    {
        foreach (var capability in required)
        {
            if (!offered.Contains(capability, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static double Fraction(long free, long capacity) => capacity <= 0 ? 0 : (double)free / capacity;
}
