using System.Xml.Linq;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Ovs;

/// <summary>
/// Tenant networks as persistent libvirt networks on Open vSwitch bridges (forward mode bridge,
/// virtualport openvswitch, a VLAN tag): VMs that join one get an OVS port tagged with its VLAN.
/// Bridges use the userspace datapath. Every call converges (--may-exist / --if-exists semantics).
/// </summary>
public sealed class OvsNetworkDriver(ICommandRunner commands, IOptions<LibvirtOptions> options) : INetworkDriver
{
    private LibvirtOptions Options => options.Value;

    public async Task<NetworkResult> EnsureNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        if (!VmLimits.IsValidName(spec.Name) || !VmLimits.IsValidName(spec.Bridge) || spec.Bridge.Length > 15 || spec.Vlan is < 1 or > 4094)
        {
            return NetworkResult.Failed($"invalid network {spec.Name} (bridge {spec.Bridge}, vlan {spec.Vlan})", []);
        }

        var logs = new List<string>();
        try
        {
            logs.AddRange((await commands.RunCheckedAsync(Options.OvsVsctl,
                ["--may-exist", "add-br", spec.Bridge, "--", "set", "bridge", spec.Bridge, "datapath_type=netdev"], cancellationToken)).LogLines());

            var existing = await GetAsync(spec.Name, cancellationToken);
            var created = false;
            if (existing is not null && (existing.Bridge != spec.Bridge || existing.Vlan != spec.Vlan))
            {
                return NetworkResult.Conflicting($"network {spec.Name} exists on bridge {existing.Bridge} with vlan {existing.Vlan}");
            }

            if (existing is null)
            {
                var path = Path.Combine(Path.GetTempPath(), $"oc-net-{spec.Name}-{Guid.NewGuid():N}.xml");
                await File.WriteAllTextAsync(path, Xml(spec).ToString(), cancellationToken);
                try
                {
                    logs.AddRange((await Virsh(cancellationToken, "net-define", path)).LogLines());
                    created = true;
                }
                finally
                {
                    File.Delete(path);
                }
            }

            if (existing is not { Active: true })
            {
                logs.AddRange((await Virsh(cancellationToken, "net-start", spec.Name)).LogLines());
            }

            logs.AddRange((await Virsh(cancellationToken, "net-autostart", spec.Name)).LogLines());
            return NetworkResult.Done(created: created, logs: [.. logs]);
        }
        catch (CommandFailedException ex)
        {
            logs.AddRange(ex.Result.LogLines());
            return NetworkResult.Failed(ex.Message, logs);
        }
    }

    public async Task<NetworkResult> DeleteNetworkAsync(string name, CancellationToken cancellationToken)
    {
        if (!VmLimits.IsValidName(name))
        {
            return NetworkResult.Failed($"invalid network name {name}", []);
        }

        var logs = new List<string>();
        try
        {
            var existing = await GetAsync(name, cancellationToken);
            if (existing is null)
            {
                return NetworkResult.Done(logs: $"ovs: network {name} is not defined; nothing to delete");
            }

            if (existing.Active)
            {
                logs.AddRange((await Virsh(cancellationToken, "net-destroy", name)).LogLines());
            }

            logs.AddRange((await Virsh(cancellationToken, "net-undefine", name)).LogLines());
            return NetworkResult.Done(deleted: true, logs: [.. logs]);
        }
        catch (CommandFailedException ex)
        {
            logs.AddRange(ex.Result.LogLines());
            return NetworkResult.Failed(ex.Message, logs);
        }
    }

    /// <summary>The libvirt networks that sit on an Open vSwitch bridge (the ones this driver manages).</summary>
    public async Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(CancellationToken cancellationToken)
    {
        var names = (await Virsh(cancellationToken, "net-list", "--all", "--name")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var networks = new List<NetworkInfo>();
        foreach (var name in names.Where(VmLimits.IsValidName))
        {
            if (await GetAsync(name, cancellationToken) is { } network)
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    /// <summary>One OVS-backed network, or null when it does not exist (or is not on OVS).</summary>
    public async Task<NetworkInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var dump = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "net-dumpxml", name], cancellationToken);
        if (!dump.Succeeded)
        {
            return dump.StandardError.Contains("Network not found", StringComparison.OrdinalIgnoreCase)
                || dump.StandardError.Contains("no network with matching name", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new CommandFailedException(dump);
        }

        var network = XDocument.Parse(dump.StandardOutput).Root!;
        if (network.Element("virtualport")?.Attribute("type")?.Value != "openvswitch")
        {
            return null;
        }

        var info = await commands.RunCheckedAsync(Options.Virsh, ["-c", Options.Uri, "net-info", name], cancellationToken);
        var active = info.StandardOutput.Split('\n').Any(l => l.StartsWith("Active:", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal));
        return new NetworkInfo(
            name,
            network.Element("bridge")?.Attribute("name")?.Value ?? "",
            int.TryParse(network.Element("vlan")?.Element("tag")?.Attribute("id")?.Value, out var vlan) ? vlan : 0,
            active);
    }

    /// <summary>The VLAN tag of a VM's first OVS port, or null when it has none.</summary>
    public async Task<int?> PortTagAsync(string vmId, CancellationToken cancellationToken)
    {
        var interfaces = await Virsh(cancellationToken, "domiflist", vmId);
        var port = interfaces.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 3 && p[0].StartsWith("vnet", StringComparison.Ordinal))
            .Select(p => p[0]).FirstOrDefault();
        if (port is null)
        {
            return null;
        }

        var tag = await commands.RunCheckedAsync(Options.OvsVsctl, ["get", "port", port, "tag"], cancellationToken);
        return int.TryParse(tag.StandardOutput.Trim(), out var value) ? value : null;
    }

    public static XDocument Xml(NetworkSpec spec) =>
        new(new XElement("network",
            new XElement("name", spec.Name),
            new XElement("forward", new XAttribute("mode", "bridge")),
            new XElement("bridge", new XAttribute("name", spec.Bridge)),
            new XElement("virtualport", new XAttribute("type", "openvswitch")),
            new XElement("vlan", new XElement("tag", new XAttribute("id", spec.Vlan)))));

    private Task<CommandResult> Virsh(CancellationToken ct, params string[] arguments) =>
        commands.RunCheckedAsync(Options.Virsh, ["-c", Options.Uri, .. arguments], ct);
}
