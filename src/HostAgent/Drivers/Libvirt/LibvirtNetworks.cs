using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Drivers.Ovs;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// The local API's networks: every libvirt network is listed; a created one is persistent, autostarted,
/// and forwards to an Open vSwitch bridge whose ports carry its VLAN tag. A missing bridge is made with
/// the userspace (netdev) datapath; an existing one is used as it is.
/// </summary>
public sealed partial class LibvirtNetworks(ICommandRunner commands, IOptions<LibvirtOptions> options, ILogger<LibvirtNetworks> logger) : IVirtualNetworkDriver
{
    // One change at a time: a define racing a define of the same name must not both get past the existence check.
    private readonly SemaphoreSlim _changes = new(1, 1);

    private LibvirtOptions Options => options.Value;

    public async Task<IReadOnlyList<VirtualNetworkInfo>> ListAsync(CancellationToken cancellationToken) =>
        VirshTables.Networks((await Virsh(cancellationToken, "net-list", "--all")).StandardOutput);

    public async Task<VirtualNetworkInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(n => n.Name == name);

    public Task<DriverOutcome> CreateAsync(VirtualNetworkDefinition definition, CancellationToken cancellationToken) =>
        Change(definition.Name, "create", async (logs, ct) =>
        {
            if (!DomainNames.IsBridgeName(definition.Bridge) || !DomainNames.IsVlan(definition.Vlan))
            {
                return DriverOutcome.Invalid("bridge", $"bridge '{definition.Bridge}' {DomainNames.BridgeRule}; vlan 1-4094", []);
            }

            if (await FindAsync(definition.Name, ct) is not null)
            {
                return DriverOutcome.Conflict($"network {definition.Name} exists");
            }

            var bridge = await commands.RunAsync(Options.OvsVsctl, ["br-exists", definition.Bridge], ct);
            if (!bridge.Succeeded)
            {
                logs.AddRange((await commands.RunCheckedAsync(Options.OvsVsctl,
                    ["--may-exist", "add-br", definition.Bridge, "--", "set", "bridge", definition.Bridge, "datapath_type=netdev"], ct)).LogLines());
            }

            var path = Path.Combine(Path.GetTempPath(), $"oc-network-{Guid.NewGuid():N}.xml");
            await File.WriteAllTextAsync(path, OvsNetworkDriver.Xml(new NetworkSpec(definition.Name, definition.Bridge, definition.Vlan)).ToString(), ct);
            try
            {
                logs.AddRange((await Virsh(ct, "net-define", path)).LogLines());
            }
            finally
            {
                File.Delete(path);
            }

            try
            {
                logs.AddRange((await Virsh(ct, "net-start", definition.Name)).LogLines());
                logs.AddRange((await Virsh(ct, "net-autostart", definition.Name)).LogLines());
            }
            catch (CommandFailedException)
            {
                // A network that cannot start is not left defined.
                await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "net-destroy", definition.Name], CancellationToken.None);
                await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "net-undefine", definition.Name], CancellationToken.None);
                throw;
            }

            logs.Add($"libvirt: network {definition.Name} on bridge {definition.Bridge}, vlan {definition.Vlan}");
            LogCreated(logger, definition.Name, definition.Bridge, definition.Vlan);
            return DriverOutcome.Done(logs);
        }, cancellationToken);

    public Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken) =>
        Change(name, "delete", async (logs, ct) =>
        {
            var network = await FindAsync(name, ct);
            if (network is null)
            {
                return DriverOutcome.NotFound($"no network {name}");
            }

            if (network.Active)
            {
                logs.AddRange((await Virsh(ct, "net-destroy", name)).LogLines());
            }

            if (network.Persistent)
            {
                logs.AddRange((await Virsh(ct, "net-undefine", name)).LogLines());
            }

            return DriverOutcome.Done(logs);
        }, cancellationToken);

    private async Task<DriverOutcome> Change(string name, string verb, Func<List<string>, CancellationToken, Task<DriverOutcome>> change, CancellationToken cancellationToken)
    {
        if (!DomainNames.IsNetworkName(name))
        {
            return DriverOutcome.Invalid("network", $"'{name}' {DomainNames.NetworkRule}", []);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout);
        var logs = new List<string>();
        await _changes.WaitAsync(timeout.Token);
        try
        {
            return await change(logs, timeout.Token);
        }
        catch (CommandFailedException ex)
        {
            logs.AddRange(ex.Result.LogLines());
            LogCommandFailed(logger, ex.Result.CommandLine, ex.Result.ExitCode, verb, name);
            return DriverOutcome.Failed($"{verb} network {name}: {Path.GetFileName(ex.Result.Program)} failed (exit {ex.Result.ExitCode}): {ex.Message}", logs);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logs.Add($"timed out after {Options.CommandTimeout}");
            return DriverOutcome.Failed($"{verb} network {name} timed out", logs);
        }
        finally
        {
            _changes.Release();
        }
    }

    private Task<CommandResult> Virsh(CancellationToken ct, params string[] arguments) =>
        commands.RunCheckedAsync(Options.Virsh, ["-c", Options.Uri, .. arguments], ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created network {Name} on bridge {Bridge} with vlan {Vlan}")]
    private static partial void LogCreated(ILogger logger, string name, string bridge, int vlan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{CommandLine} failed with exit code {ExitCode} during {Verb} of network {Name}")]
    private static partial void LogCommandFailed(ILogger logger, string commandLine, int exitCode, string verb, string name);
}
