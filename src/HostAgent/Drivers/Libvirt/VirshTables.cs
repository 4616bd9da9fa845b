using System.Globalization;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>Reads the tables of <c>virsh list --all</c> and <c>virsh net-list --all</c> (one command for the whole list).</summary>
public static class VirshTables
{
    /// <summary>" Id   Name   State" rows; the state may hold a space ("shut off"), the name does not.</summary>
    public static IReadOnlyList<DomainInfo> Domains(string output) =>
        [.. Rows(output).Where(cells => cells.Length >= 3).Select(cells => new DomainInfo(
            int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
            cells[1],
            string.Join(' ', cells[2..])))];

    /// <summary>" Name   State   Autostart   Persistent" rows.</summary>
    public static IReadOnlyList<VirtualNetworkInfo> Networks(string output) =>
        [.. Rows(output).Where(cells => cells.Length >= 4).Select(cells => new VirtualNetworkInfo(
            string.Join(' ', cells[..^3]), cells[^3] == "active", cells[^2] == "yes", cells[^1] == "yes"))];

    private static IEnumerable<string[]> Rows(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SkipWhile(line => !line.StartsWith("---", StringComparison.Ordinal))
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
