using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Ovs;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// Tenant networks on this host, realised when the first interface of one lands here and removed when
/// the last one leaves: each is a persistent libvirt network named by the network's id on the tenant
/// bridge (<see cref="LibvirtOptions.TenantBridge"/>, Open vSwitch) with the network's VLAN tag, so a
/// VM's port carries that tag. One gate orders "make sure the network exists, then define a domain on
/// it" against "no domain uses it, so remove it": a removal can never slip between the two.
/// </summary>
public sealed partial class LibvirtDriver :
    IHostOperationHandler<AttachInterface>,
    IHostOperationHandler<DetachInterface>
{
    /// <summary>Tenant network ids ("net-…"): the only libvirt networks this driver ever removes.</summary>
    public const string TenantNetworkPrefix = "net-";

    private readonly SemaphoreSlim _networkGate = new(1, 1);

    private OvsNetworkDriver? _ovs;

    private OvsNetworkDriver Ovs => _ovs ??= new OvsNetworkDriver(commands, options);

    public Task<HostOperationResult> ExecuteAsync(string hostName, AttachInterface operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Attach(operation, logs, ct), cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, DetachInterface operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Detach(operation, logs, ct), cancellationToken);

    /// <summary>Defines the domain once every network its interfaces join exists here (inside the gate).</summary>
    private async Task DefineOnNetworks(string vmId, VmSpec spec, string operationId, string? network, List<string> logs, CancellationToken ct)
    {
        await _networkGate.WaitAsync(ct);
        try
        {
            await EnsureNetworks(spec.Interfaces ?? [], logs, ct);
            await Define(vmId, spec, operationId, network, logs, ct);
        }
        finally
        {
            _networkGate.Release();
        }
    }

    private async Task EnsureNetworks(IEnumerable<VmInterface> interfaces, List<string> logs, CancellationToken ct)
    {
        foreach (var nic in interfaces.DistinctBy(i => i.NetworkId))
        {
            var ensured = await Ovs.EnsureNetworkAsync(new NetworkSpec(nic.NetworkId, Options.TenantBridge, nic.Vlan), ct);
            logs.AddRange(ensured.Logs);
            if (!ensured.Succeeded)
            {
                throw new IOException($"network {nic.Network} ({nic.NetworkId}, VLAN {nic.Vlan}) could not be realised on bridge {Options.TenantBridge}: {ensured.Message}");
            }

            if (ensured.Created)
            {
                logs.Add($"libvirt: network {nic.Network} realised here as {nic.NetworkId} on {Options.TenantBridge}, VLAN {nic.Vlan}");
            }
        }
    }

    /// <summary>The tenant networks a domain's interfaces join (empty when it is not defined).</summary>
    private async Task<IReadOnlySet<string>> NetworksOf(string vmId, CancellationToken ct)
    {
        var list = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "domiflist", vmId], ct);
        return list.Succeeded ? TenantNetworksIn(list.StandardOutput) : new HashSet<string>();
    }

    /// <summary>The tenant networks named in the Source column of <c>virsh domiflist</c>.</summary>
    public static IReadOnlySet<string> TenantNetworksIn(string domiflist) =>
        Lines(domiflist).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 3 && p[2].StartsWith(TenantNetworkPrefix, StringComparison.Ordinal))
            .Select(p => p[2]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Removes each of <paramref name="candidates"/> that no domain of this host joins any more (inside the gate).</summary>
    private async Task ReleaseUnusedNetworks(IReadOnlySet<string> candidates, List<string> logs, CancellationToken ct)
    {
        if (candidates.Count == 0)
        {
            return;
        }

        await _networkGate.WaitAsync(ct);
        try
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var domain in Lines((await Virsh(ct, "list", "--all", "--name")).StandardOutput))
            {
                used.UnionWith(await NetworksOf(domain, ct));
            }

            foreach (var network in candidates.Where(c => !used.Contains(c)))
            {
                var removed = await Ovs.DeleteNetworkAsync(network, ct);
                logs.AddRange(removed.Logs);
                logs.Add(removed.Succeeded
                    ? $"libvirt: network {network} removed from this host (no VM here joins it any more)"
                    : $"libvirt: network {network} could not be removed: {removed.Message}");
            }
        }
        finally
        {
            _networkGate.Release();
        }
    }

    private async Task<HostOperationResult> Attach(AttachInterface operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var nic = operation.Interface;
        if (!IsSafe(nic))
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, "invalid interface", false, logs);
        }

        var state = await StateAsync(vmId, ct);
        if (state is null)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{vmId} is not defined", false, logs);
        }

        if (await HasMac(vmId, nic.Mac, ct))
        {
            logs.Add($"libvirt: {vmId} has interface {nic.Mac} already");
            return HostOperationResult.Success(operation.OperationId, logs);
        }

        await _networkGate.WaitAsync(ct);
        try
        {
            await EnsureNetworks([nic], logs, ct);
            logs.AddRange((await Virsh(ct, [.. InterfaceCommand("attach-interface", vmId, nic, state), "--model", "virtio"])).LogLines());
        }
        finally
        {
            _networkGate.Release();
        }

        logs.Add($"libvirt: {vmId} got interface {nic.Mac} on {nic.NetworkId} ({nic.Address}){(state == "running" ? ", live and in its definition" : "")}");
        return HostOperationResult.Success(operation.OperationId, logs);
    }

    private async Task<HostOperationResult> Detach(DetachInterface operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var nic = operation.Interface;
        if (!IsSafe(nic))
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, "invalid interface", false, logs);
        }

        var state = await StateAsync(vmId, ct);
        if (state is not null && await HasMac(vmId, nic.Mac, ct))
        {
            logs.AddRange((await Virsh(ct, [.. InterfaceCommand("detach-interface", vmId, nic, state)])).LogLines());
            logs.Add($"libvirt: {vmId} lost interface {nic.Mac} on {nic.NetworkId}");
        }
        else
        {
            logs.Add($"libvirt: {vmId} has no interface {nic.Mac}; nothing to detach");
        }

        await ReleaseUnusedNetworks(new HashSet<string>([nic.NetworkId], StringComparer.Ordinal), logs, ct);
        return HostOperationResult.Success(operation.OperationId, logs);
    }

    /// <summary>virsh attach-interface / detach-interface of one network interface, in the definition and, when the domain runs, live.</summary>
    private static string[] InterfaceCommand(string verb, string vmId, VmInterface nic, string state) =>
        verb == "attach-interface"
            ? [verb, vmId, "network", nic.NetworkId, "--mac", nic.Mac, "--config", .. state == "running" ? new[] { "--live" } : []]
            : [verb, vmId, "network", "--mac", nic.Mac, "--config", .. state == "running" ? new[] { "--live" } : []];

    private async Task<bool> HasMac(string vmId, string mac, CancellationToken ct) =>
        (await Virsh(ct, "domiflist", vmId)).StandardOutput.Contains(mac, StringComparison.OrdinalIgnoreCase);

    /// <summary>What reaches a command line from an interface is checked first: a network id and a MAC.</summary>
    private static bool IsSafe(VmInterface nic) =>
        nic.NetworkId.StartsWith(TenantNetworkPrefix, StringComparison.Ordinal) && VmLimits.IsValidName(nic.NetworkId)
        && System.Text.RegularExpressions.Regex.IsMatch(nic.Mac, "^[0-9a-f]{2}(:[0-9a-f]{2}){5}$") && nic.Vlan is >= 1 and <= 4094;
}
