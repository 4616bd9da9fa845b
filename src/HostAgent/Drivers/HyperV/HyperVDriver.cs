using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.HyperV;

/// <summary>
/// Hyper-V through the PowerShell scripts shipped with the agent: <c>pwsh -NoProfile -NonInteractive
/// -File script.ps1</c> (an argument array), one JSON request on stdin, one JSON reply on stdout. The
/// scripts are idempotent by VM id and clean up after themselves when they fail.
/// </summary>
public sealed class HyperVDriver(ICommandRunner commands, IOptions<HyperVOptions> options) :
    IHypervisorDriver,
    IVmInventory,
    IHostInventory,
    IHostOperationHandler<CreateVm>,
    IHostOperationHandler<DeleteVm>,
    IHostOperationHandler<StartVm>,
    IHostOperationHandler<StopVm>,
    IHostOperationHandler<RebootVm>,
    IHostOperationHandler<ResizeVm>,
    IHostOperationHandler<ReceiveVm>,
    IHostOperationHandler<ReleaseVm>,
    IHostOperationHandler<AttachInterface>,
    IHostOperationHandler<DetachInterface>
{
    public const string DriverName = "hyperv";

    private HyperVOptions Options => options.Value;

    public string Name => DriverName;

    public Task<HostOperationResult> ExecuteAsync(string hostName, CreateVm operation, CancellationToken cancellationToken)
    {
        var spec = operation.Spec;
        if (SpecProblem(operation, spec) is { } invalid)
        {
            return Task.FromResult(invalid);
        }

        return Run(operation, "vm.create.ps1", request =>
        {
            request["name"] = spec.Name;
            request["cpu"] = spec.Cpu;
            request["ramMb"] = spec.RamMb;
            request["diskGb"] = spec.DiskGb;
            request["imageId"] = spec.ImageId;
            request["generation"] = spec.Generation;
            request["cloudInit"] = JsonNode.Parse(string.IsNullOrWhiteSpace(spec.CloudInitJson) ? "{}" : spec.CloudInitJson);
            request["switchName"] = Options.SwitchName.Length > 0 ? Options.SwitchName : null;
            request["vlanId"] = Options.VlanId > 0 ? Options.VlanId : null;
            request["interfaces"] = Interfaces(spec);
            request["networkConfig"] = Libvirt.CloudInitSeed.NetworkConfig(spec.Interfaces);
            request["imagesDir"] = Options.ImagesDir;
        }, cancellationToken);
    }

    public Task<HostOperationResult> ExecuteAsync(string hostName, DeleteVm operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.delete.ps1", null, cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, StartVm operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.start.ps1", null, cancellationToken);

    public Task<HostOperationResult> ExecuteAsync(string hostName, StopVm operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.stop.ps1", request => request["force"] = operation.Force, cancellationToken);

    /// <summary>
    /// vm.reboot.ps1: Force is <c>Restart-VM -Force</c>, a hard reset at once; otherwise a cold reboot
    /// (guest shutdown through the integration services for up to <see cref="HyperVOptions.ShutdownTimeout"/>,
    /// a turn-off if the guest ignores it, then a start), which unlike an in-guest reboot is one Hyper-V
    /// can tell has happened. A missing VM is not found; one that is not running an invalid transition.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, RebootVm operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.reboot.ps1", request =>
        {
            request["force"] = operation.Force;
            request["shutdownTimeoutSeconds"] = (int)Options.ShutdownTimeout.TotalSeconds;
        }, cancellationToken);

    /// <summary>vm.resize.ps1: processors and startup memory of a VM that is Off; its VHD only grows.</summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ResizeVm operation, CancellationToken cancellationToken)
    {
        if (operation.Cpu is < VmLimits.MinCpu or > VmLimits.MaxCpu
            || operation.RamMb is < VmLimits.MinRamMb or > VmLimits.MaxRamMb
            || operation.DiskGb is < VmLimits.MinDiskGb or > VmLimits.MaxDiskGb)
        {
            return Task.FromResult(HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation,
                $"{operation.Cpu} vcpu, {operation.RamMb} MB, {operation.DiskGb} GB is outside the VM limits", false, []));
        }

        return Run(operation, "vm.resize.ps1", request =>
        {
            request["cpu"] = operation.Cpu;
            request["ramMb"] = operation.RamMb;
            request["diskGb"] = operation.DiskGb;
        }, cancellationToken);
    }

    /// <summary>
    /// vm.receive.ps1, the target side of a cold migration: the hosts of an area share
    /// <see cref="HyperVOptions.VhdDir"/>, so the script creates the VM (not started) over the VHD the
    /// source ran and reports the fact <c>disk</c> = <c>shared</c>; without that VHD it fails for good.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ReceiveVm operation, CancellationToken cancellationToken)
    {
        var spec = operation.Spec;
        if (SpecProblem(operation, spec) is { } invalid)
        {
            return Task.FromResult(invalid);
        }

        return Run(operation, "vm.receive.ps1", request =>
        {
            request["sourceHost"] = operation.SourceHost;
            request["name"] = spec.Name;
            request["cpu"] = spec.Cpu;
            request["ramMb"] = spec.RamMb;
            request["generation"] = spec.Generation;
            request["switchName"] = Options.SwitchName.Length > 0 ? Options.SwitchName : null;
            request["vlanId"] = Options.VlanId > 0 ? Options.VlanId : null;
            request["interfaces"] = Interfaces(spec);
        }, cancellationToken);
    }

    /// <summary>vm.nic.attach.ps1: an adapter on the switch with the interface's MAC and its network's VLAN (access mode).</summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, AttachInterface operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.nic.attach.ps1", request =>
        {
            request["switchName"] = Options.SwitchName;
            request["interface"] = Interface(operation.Interface);
        }, cancellationToken);

    /// <summary>vm.nic.detach.ps1: removes the adapter with the interface's MAC; an absent one is success.</summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, DetachInterface operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.nic.detach.ps1", request => request["interface"] = Interface(operation.Interface), cancellationToken);

    /// <summary>A VM's tenant interfaces as the scripts read them (null when it has none: the host's switch and VLAN then).</summary>
    private static JsonArray? Interfaces(VmSpec spec) =>
        spec.Interfaces is { Count: > 0 } interfaces ? new JsonArray([.. interfaces.Select(i => (JsonNode)Interface(i))]) : null;

    private static JsonObject Interface(VmInterface nic) => new()
    {
        ["network"] = nic.NetworkId,
        ["mac"] = nic.Mac,
        ["vlanId"] = nic.Vlan,
        ["address"] = nic.Address,
        ["prefixLength"] = nic.PrefixLength,
        ["gateway"] = nic.Gateway,
    };

    /// <summary>vm.release.ps1, the source side of a cold migration: removes the VM, and its VHDs only without KeepDisks.</summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ReleaseVm operation, CancellationToken cancellationToken) =>
        Run(operation, "vm.release.ps1", request => request["keepDisks"] = operation.KeepDisks, cancellationToken);

    /// <summary>
    /// Runs one operation's script with the request every script reads (operation id, VM id, VHD
    /// directory) plus its own fields; the reply's <c>facts</c> object becomes the result's facts.
    /// </summary>
    public async Task<HostOperationResult> Run(VmOperation operation, string script, Action<JsonObject>? fill, CancellationToken cancellationToken)
    {
        if (!VmLimits.IsValidName(operation.VmId))
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, $"'{operation.VmId}' is not a valid VM id", false, []);
        }

        var request = new JsonObject
        {
            ["operationId"] = operation.OperationId,
            ["vmId"] = operation.VmId,
            ["vhdDir"] = Options.VhdDir,
        };
        fill?.Invoke(request);
        var reply = await RunScript(script, request, cancellationToken);
        if (reply.Failure is { } failure)
        {
            return HostOperationResult.Failure(operation.OperationId, failure.Code, failure.Message, failure.Retryable, reply.Logs);
        }

        var addresses = reply.Body!["addresses"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToList() : [];
        var result = HostOperationResult.Success(operation.OperationId, reply.Logs, addresses);
        if (reply.Body["facts"] is JsonObject facts)
        {
            foreach (var (name, value) in facts)
            {
                result = result.WithFact(name, value?.GetValue<string>() ?? "");
            }
        }

        return result;
    }

    private static HostOperationResult? SpecProblem(VmOperation operation, VmSpec spec)
    {
        var invalid = VmLimits.Check(spec);
        return invalid.Count == 0
            ? null
            : HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation,
                "invalid spec: " + string.Join("; ", invalid.Select(e => $"{e.Key} {e.Value[0]}")), false, []);
    }

    public async Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken)
    {
        var reply = await RunScript("host.inventory.ps1", [], cancellationToken);
        return reply.Body?["runningVms"]?.GetValue<int>() ?? 0;
    }

    public async Task<IReadOnlyList<VmInfo>> ListVmsAsync(string hostName, CancellationToken cancellationToken)
    {
        var reply = await RunScript("host.inventory.ps1", [], cancellationToken);
        return reply.Body?["vms"] is JsonArray vms
            ? [.. vms.OfType<JsonObject>().Select(v => new VmInfo(
                v["name"]!.GetValue<string>(), v["state"]?.GetValue<string>() ?? "unknown",
                v["cpu"]?.GetValue<int>() ?? 0, v["ramMb"]?.GetValue<long>() ?? 0, []))]
            : [];
    }

    public async Task<ResourceAmount?> MeasureCapacityAsync(string hostName, CancellationToken cancellationToken)
    {
        var reply = await RunScript("host.inventory.ps1", [], cancellationToken);
        return reply.Body is { } body
            ? new ResourceAmount(body["vcpus"]?.GetValue<int>() ?? 0, body["ramMb"]?.GetValue<long>() ?? 0, body["diskGb"]?.GetValue<long>() ?? 0, 0)
            : null;
    }

    /// <summary>The argument array a script runs with (exposed for tests and logs).</summary>
    public IReadOnlyList<string> ArgumentsFor(string script) =>
        ["-NoProfile", "-NonInteractive", "-File", Path.Combine(Options.ScriptsDir, script)];

    private async Task<ScriptReply> RunScript(string script, JsonObject request, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Options.ScriptsDir, script);
        if (!File.Exists(path))
        {
            return ScriptReply.Failed(ErrorCodes.HostOperationFailed, $"script {path} is missing from the agent", false, []);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        CommandResult result;
        try
        {
            result = await commands.RunAsync(Options.Pwsh, ArgumentsFor(script), timeout.Token, request.ToJsonString(), Options.Environment);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ScriptReply.Failed(ErrorCodes.HostOperationFailed, $"{script} did not finish within {Options.Timeout}; it was stopped", true,
                [$"$ {Options.Pwsh} {string.Join(' ', ArgumentsFor(script))} (timed out after {Options.Timeout})"]);
        }

        var logs = new List<string>(result.LogLines());
        var line = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        JsonObject? body = null;
        try
        {
            body = line is null ? null : JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (body is null)
        {
            logs.Add($"  stdout: {Truncate(result.StandardOutput)}");
            return ScriptReply.Failed(ErrorCodes.HostOperationFailed,
                $"{script} exited with {result.ExitCode} without a JSON reply", false, logs);
        }

        if (body["logs"] is JsonArray scriptLogs)
        {
            logs.InsertRange(1, scriptLogs.Select(l => l?.GetValue<string>() ?? ""));
        }

        if (body["ok"]?.GetValue<bool>() == true && result.ExitCode == 0)
        {
            return new ScriptReply(body, null, logs);
        }

        return ScriptReply.Failed(
            body["code"]?.GetValue<string>() ?? ErrorCodes.HostOperationFailed,
            body["message"]?.GetValue<string>() ?? $"{script} failed with exit code {result.ExitCode}",
            body["retryable"]?.GetValue<bool>() ?? false,
            logs);
    }

    private static string Truncate(string text) => text.Length <= 500 ? text.Trim() : text[..500] + "...";

    private sealed record ScriptFailure(string Code, string Message, bool Retryable);

    private sealed record ScriptReply(JsonObject? Body, ScriptFailure? Failure, IReadOnlyList<string> Logs)
    {
        public static ScriptReply Failed(string code, string message, bool retryable, IReadOnlyList<string> logs) =>
            new(null, new ScriptFailure(code, message, retryable), logs);
    }
}
