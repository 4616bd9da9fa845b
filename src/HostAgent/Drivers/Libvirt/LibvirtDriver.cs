using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// libvirt/KVM through virsh, qemu-img and genisoimage (argument arrays, never a shell). Every
/// operation is keyed by the VM id and converges: creating a VM that runs already, or deleting one
/// that is gone, succeeds without doing anything twice. A failed create removes what it made.
/// Reboot, resize and the two sides of a cold migration live in the partial files beside this one.
/// </summary>
public sealed partial class LibvirtDriver(ICommandRunner commands, IOptions<LibvirtOptions> options, ILogger<LibvirtDriver> logger)
    : IHypervisorDriver,
    IVmInventory,
    IHostInventory,
    IHostOperationHandler<CreateVm>,
    IHostOperationHandler<DeleteVm>,
    IHostOperationHandler<StartVm>,
    IHostOperationHandler<StopVm>
{
    public const string DriverName = "libvirt";

    private LibvirtOptions Options => options.Value;

    public string Name => DriverName;

    public string SeedPath(string vmId) => Path.Combine(Options.StorageDir, vmId + "-seed.iso");

    public Task<HostOperationResult> ExecuteAsync(string hostName, CreateVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Create(operation, logs, ct), cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, DeleteVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Delete(operation, logs, ct), cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, StartVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Start(operation, logs, ct), cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, StopVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Stop(operation, logs, ct), cancellationToken);

    /// <summary>
    /// What every operation shares: the VM id checked before it reaches a command line, an overall
    /// timeout, and a failed command turned into a typed failure with its stderr in the logs.
    /// </summary>
    public async Task<HostOperationResult> Run(VmOperation operation, Func<List<string>, CancellationToken, Task<HostOperationResult>> body, CancellationToken cancellationToken)
    {
        if (!VmLimits.IsValidName(operation.VmId))
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, $"'{operation.VmId}' is not a valid VM id", false, []);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout * 4);
        var logs = new List<string>();
        try
        {
            return await body(logs, timeout.Token);
        }
        catch (CommandFailedException ex)
        {
            logs.AddRange(ex.Result.LogLines());
            LogCommandFailed(logger, ex.Result.CommandLine, ex.Result.ExitCode, operation.VmId);
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"{Path.GetFileName(ex.Result.Program)} failed (exit {ex.Result.ExitCode}): {ex.Message}", IsTransient(ex.Result), logs);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logs.Add($"timed out after {Options.CommandTimeout * 4}");
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed, $"{operation.Name} timed out", true, logs);
        }
    }

    public async Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken)
    {
        var list = await Virsh(cancellationToken, "list", "--name", "--state-running");
        return Lines(list.StandardOutput).Count;
    }

    public async Task<IReadOnlyList<VmInfo>> ListVmsAsync(string hostName, CancellationToken cancellationToken)
    {
        var names = Lines((await Virsh(cancellationToken, "list", "--all", "--name")).StandardOutput);
        var vms = new List<VmInfo>();
        foreach (var name in names.Where(VmLimits.IsValidName))
        {
            var info = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "dominfo", name], cancellationToken);
            if (info.Succeeded)
            {
                var fields = Fields(info.StandardOutput);
                vms.Add(new VmInfo(
                    name,
                    fields.GetValueOrDefault("State", "unknown"),
                    int.TryParse(fields.GetValueOrDefault("CPU(s)"), CultureInfo.InvariantCulture, out var cpu) ? cpu : 0,
                    long.TryParse(fields.GetValueOrDefault("Max memory")?.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib / 1024 : 0,
                    await Addresses(name, cancellationToken)));
            }
        }

        return vms;
    }

    /// <summary>vCPUs and memory from virsh nodeinfo, disk from the storage directory's file system.</summary>
    public async Task<ResourceAmount?> MeasureCapacityAsync(string hostName, CancellationToken cancellationToken)
    {
        var info = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "nodeinfo"], cancellationToken);
        if (!info.Succeeded)
        {
            return null;
        }

        var fields = Fields(info.StandardOutput);
        var cpus = int.TryParse(fields.GetValueOrDefault("CPU(s)"), CultureInfo.InvariantCulture, out var c) ? c : 0;
        var memoryKib = long.TryParse(fields.GetValueOrDefault("Memory size")?.Split(' ')[0], CultureInfo.InvariantCulture, out var m) ? m : 0;
        Directory.CreateDirectory(Options.StorageDir);
        var diskGb = new DriveInfo(Options.StorageDir).TotalSize / (1024L * 1024 * 1024);
        return new ResourceAmount(cpus, memoryKib / 1024, diskGb, 0);
    }

    /// <summary>The domain's state as virsh spells it ("running", "shut off"), or null when there is no such domain.</summary>
    public async Task<string?> StateAsync(string vmId, CancellationToken cancellationToken)
    {
        var state = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "domstate", vmId], cancellationToken);
        if (state.Succeeded)
        {
            return state.StandardOutput.Trim();
        }

        return IsNoDomain(state) ? null : throw new CommandFailedException(state);
    }

    private async Task<HostOperationResult> Create(CreateVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var spec = operation.Spec;

        var network = NetworkOf(spec);
        if (SpecProblem(spec, network) is { } problem)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, problem, false, logs);
        }

        switch (await StateAsync(vmId, ct))
        {
            case "running":
                logs.Add($"libvirt: {vmId} is already defined and running; nothing to do");
                return HostOperationResult.Success(operation.OperationId, logs, await AddressesOf(vmId, spec, ct));
            case { } other:
                logs.Add($"libvirt: {vmId} is defined ({other}); starting it");
                logs.AddRange((await Virsh(ct, "start", vmId)).LogLines());
                return HostOperationResult.Success(operation.OperationId, logs, await AddressesOf(vmId, spec, ct));
        }

        var disk = DiskPath(vmId);
        var seed = SeedPath(vmId);
        var created = new List<Func<Task>>();
        try
        {
            Directory.CreateDirectory(Options.StorageDir);
            if (!File.Exists(disk))
            {
                var (planned, arguments, message, code) = await PlanDiskAsync(vmId, spec, ct);
                if (arguments is null)
                {
                    return HostOperationResult.Failure(operation.OperationId, code, message, false, logs);
                }

                disk = planned;
                logs.Add($"libvirt: {message}");
                created.Add(() => Remove(disk));
                logs.AddRange((await commands.RunCheckedAsync(Options.QemuImg, arguments, ct)).LogLines());
            }

            created.Add(() => Remove(seed));
            await BuildSeed(vmId, spec, seed, logs, ct);

            var networks = (spec.Interfaces ?? []).Select(i => i.NetworkId).ToHashSet(StringComparer.Ordinal);
            created.Add(() => ReleaseUnusedNetworks(networks, logs, CancellationToken.None));
            created.Add(() => Undefine(vmId));
            await DefineOnNetworks(vmId, spec, operation.OperationId, network, logs, ct);

            logs.AddRange((await Virsh(ct, "start", vmId)).LogLines());
            logs.Add($"libvirt: defined and started {vmId} ({spec.Cpu} vcpu, {spec.RamMb} MB, {spec.DiskGb} GB, {Options.EffectiveDomainType}{(network is null ? "" : $", network {network}")}"
                + string.Concat((spec.Interfaces ?? []).Select(i => $", {i.Mac} {i.Address}/{i.PrefixLength} on {i.NetworkId} VLAN {i.Vlan}")) + ")");
            return HostOperationResult.Success(operation.OperationId, logs, await AddressesOf(vmId, spec, ct));
        }
        catch (Exception ex) when (ex is CommandFailedException or IOException or UnauthorizedAccessException)
        {
            return await Undone(operation, ex, created, logs);
        }
    }

    /// <summary>
    /// A step of a multi-step operation failed: undo, newest first, what this attempt made (so a failed
    /// create or receive leaves nothing behind) and report the failure with the command's stderr.
    /// </summary>
    private async Task<HostOperationResult> Undone(VmOperation operation, Exception ex, List<Func<Task>> made, List<string> logs)
    {
        if (ex is CommandFailedException failed)
        {
            logs.AddRange(failed.Result.LogLines());
        }

        for (var i = made.Count - 1; i >= 0; i--)
        {
            await made[i]();
        }

        logs.Add($"libvirt: {operation.Name} of {operation.VmId} failed and was cleaned up");
        return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
            ex is CommandFailedException command ? $"{Path.GetFileName(command.Result.Program)} failed (exit {command.Result.ExitCode}): {ex.Message}" : ex.Message,
            ex is CommandFailedException c && IsTransient(c.Result), logs);
    }

    /// <summary>
    /// The libvirt network a VM without tenant interfaces joins: its spec's, else the configured default,
    /// else none. A VM with interfaces joins exactly their networks.
    /// </summary>
    private string? NetworkOf(VmSpec spec) =>
        spec.Interfaces is { Count: > 0 } ? null : spec.Network ?? (Options.DefaultNetwork.Length > 0 ? Options.DefaultNetwork : null);

    /// <summary>Why a spec must not reach a command line, or null when it may.</summary>
    private static string? SpecProblem(VmSpec spec, string? network)
    {
        var invalid = VmLimits.Check(spec);
        var badNetwork = network is not null && !VmLimits.IsValidName(network);
        var badInterface = (spec.Interfaces ?? []).Any(i => !IsSafe(i) || !System.Net.IPAddress.TryParse(i.Address, out _) || !System.Net.IPAddress.TryParse(i.Gateway, out _));
        return invalid.Count == 0 && !badNetwork && !badInterface
            ? null
            : "invalid spec: " + string.Join("; ", invalid.Select(e => $"{e.Key} {e.Value[0]}")
                .Concat(badNetwork ? ["network is not a name"] : []).Concat(badInterface ? ["an interface is not a network id, MAC, VLAN and addresses"] : []));
    }

    /// <summary>A VM on tenant networks has the addresses they handed out; any other, what libvirt sees.</summary>
    private async Task<IReadOnlyList<string>> AddressesOf(string vmId, VmSpec spec, CancellationToken ct) =>
        spec.Interfaces is { Count: > 0 } interfaces ? [.. interfaces.Select(i => i.Address)] : await Addresses(vmId, ct);

    /// <summary>Defines (does not start) the domain over the VM's disk and seed in the storage directory.</summary>
    private async Task Define(string vmId, VmSpec spec, string operationId, string? network, List<string> logs, CancellationToken ct)
    {
        var xml = DomainXml.Build(vmId, spec, operationId, Options.EffectiveDomainType, DiskPath(vmId), SeedPath(vmId), network, spec.Interfaces);
        var xmlPath = Path.Combine(Options.StorageDir, vmId + ".xml");
        await File.WriteAllTextAsync(xmlPath, xml.ToString(), ct);
        try
        {
            logs.AddRange((await Virsh(ct, "define", xmlPath)).LogLines());
        }
        finally
        {
            File.Delete(xmlPath);
        }
    }

    private async Task<HostOperationResult> Delete(DeleteVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var state = await StateAsync(vmId, ct);
        var networks = state is null ? new HashSet<string>() : await NetworksOf(vmId, ct);
        if (state is null)
        {
            logs.Add($"libvirt: {vmId} is not defined; nothing to destroy");
        }
        else
        {
            if (state != "shut off")
            {
                var destroyed = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "destroy", vmId], ct);
                logs.AddRange(destroyed.LogLines());
            }

            logs.AddRange((await Virsh(ct, "undefine", vmId, "--nvram")).LogLines());
        }

        await Remove(DiskPath(vmId));
        await Remove(SeedPath(vmId));
        logs.Add($"libvirt: {vmId} destroyed, undefined and its disks removed");
        await ReleaseUnusedNetworks(networks, logs, ct);
        return HostOperationResult.Success(operation.OperationId, logs);
    }

    private async Task<HostOperationResult> Start(StartVm operation, List<string> logs, CancellationToken ct)
    {
        switch (await StateAsync(operation.VmId, ct))
        {
            case null:
                return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{operation.VmId} is not defined", false, logs);
            case "running":
                logs.Add($"libvirt: {operation.VmId} is running already");
                break;
            default:
                logs.AddRange((await Virsh(ct, "start", operation.VmId)).LogLines());
                break;
        }

        return HostOperationResult.Success(operation.OperationId, logs, await Addresses(operation.VmId, ct));
    }

    private async Task<HostOperationResult> Stop(StopVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var state = await StateAsync(vmId, ct);
        if (state is null)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{vmId} is not defined", false, logs);
        }

        if (state != "shut off" && operation.Force)
        {
            logs.Add($"libvirt: powering {vmId} off at once");
            logs.AddRange((await Virsh(ct, "destroy", vmId)).LogLines());
        }
        else if (state != "shut off")
        {
            await ShutDown(vmId, logs, ct);
        }

        return HostOperationResult.Success(operation.OperationId, logs);
    }

    /// <summary>ACPI shutdown, then up to <see cref="LibvirtOptions.ShutdownTimeout"/> for "shut off", then destroy.</summary>
    private async Task ShutDown(string vmId, List<string> logs, CancellationToken ct)
    {
        logs.AddRange((await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "shutdown", vmId], ct)).LogLines());
        var deadline = DateTime.UtcNow + Options.ShutdownTimeout;
        while (DateTime.UtcNow < deadline && await StateAsync(vmId, ct) is not ("shut off" or null))
        {
            await Task.Delay(500, ct);
        }

        if (await StateAsync(vmId, ct) is not ("shut off" or null))
        {
            logs.Add($"libvirt: {vmId} did not shut down within {Options.ShutdownTimeout}; destroying it");
            logs.AddRange((await Virsh(ct, "destroy", vmId)).LogLines());
        }
    }

    private async Task BuildSeed(string vmId, VmSpec spec, string seedPath, List<string> logs, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("oc-seed-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "user-data"), CloudInitSeed.UserData(spec.CloudInitJson), ct);
            await File.WriteAllTextAsync(Path.Combine(directory, "meta-data"), CloudInitSeed.MetaData(vmId, spec.Name), ct);
            var networkConfig = CloudInitSeed.NetworkConfig(spec.Interfaces);
            if (networkConfig is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, CloudInitSeed.NetworkConfigFile), networkConfig, ct);
            }

            logs.AddRange((await commands.RunCheckedAsync(Options.GenIsoImage, CloudInitSeed.IsoArguments(seedPath, directory, networkConfig is not null), ct)).LogLines());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public async Task<IReadOnlyList<string>> Addresses(string vmId, CancellationToken ct)
    {
        var result = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "domifaddr", vmId, "--source", "arp"], ct);
        return result.Succeeded
            ? [.. Lines(result.StandardOutput).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 4 && p[2] == "ipv4").Select(p => p[3].Split('/')[0])]
            : [];
    }

    public Task<CommandResult> Virsh(CancellationToken ct, params string[] arguments) =>
        commands.RunCheckedAsync(Options.Virsh, ["-c", Options.Uri, .. arguments], ct);

    private async Task Undefine(string vmId)
    {
        await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "destroy", vmId], CancellationToken.None);
        await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "undefine", vmId, "--nvram"], CancellationToken.None);
    }

    private static Task Remove(string path)
    {
        File.Delete(path);
        return Task.CompletedTask;
    }

    private static bool IsNoDomain(CommandResult result) =>
        result.StandardError.Contains("failed to get domain", StringComparison.OrdinalIgnoreCase)
        || result.StandardError.Contains("Domain not found", StringComparison.OrdinalIgnoreCase);

    /// <summary>Failures worth retrying: libvirtd unreachable or busy, not a bad definition.</summary>
    private static bool IsTransient(CommandResult result) =>
        result.StandardError.Contains("failed to connect", StringComparison.OrdinalIgnoreCase)
        || result.StandardError.Contains("timed out", StringComparison.OrdinalIgnoreCase)
        || result.StandardError.Contains("Cannot recv data", StringComparison.OrdinalIgnoreCase);

    private static List<string> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>"Key:   value" lines of virsh dominfo / nodeinfo.</summary>
    private static Dictionary<string, string> Fields(string text) =>
        Lines(text).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());

    [LoggerMessage(Level = LogLevel.Warning, Message = "{CommandLine} failed with exit code {ExitCode} for {VmId}")]
    private static partial void LogCommandFailed(ILogger logger, string commandLine, int exitCode, string vmId);
}
