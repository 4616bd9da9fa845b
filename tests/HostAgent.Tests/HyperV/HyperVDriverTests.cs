using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Drivers.HyperV;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.HyperV;

/// <summary>
/// The Hyper-V driver against a real stand-in process for pwsh (PowerShell cannot run here): the
/// argument array, the JSON both ways, idempotency, failures, garbage and timeouts.
/// </summary>
public sealed class HyperVDriverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oc-fake-pwsh-").FullName;
    private readonly HyperVDriver _driver;

    public HyperVDriverTests()
    {
        var standIn = Path.Combine(AppContext.BaseDirectory, "HyperV", "fake-pwsh");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _driver = new HyperVDriver(new CliWrapCommandRunner(NullLogger<CliWrapCommandRunner>.Instance), Microsoft.Extensions.Options.Options.Create(new HyperVOptions
        {
            Pwsh = standIn,
            SwitchName = "tenant-switch",
            VlanId = 42,
            Timeout = TimeSpan.FromSeconds(2),
            Environment = new() { ["OC_FAKE_PWSH_DIR"] = _dir },
        }));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VmSpec Spec => new("web", 2, 2048, 20, "win2022", 2, """{"users":[{"name":"ops"}]}""", null);

    private Task<HostOperationResult> Run(HostOperation operation) => HostOperationDispatch.RunAsync(_driver, "hv-01", operation, default);

    private Task<HostOperationResult> Create(string vmId, VmSpec spec) => Run(new CreateVm("tsk-1/CreateVm", vmId, spec));

    private string[] Calls => File.Exists(Path.Combine(_dir, "calls.log")) ? File.ReadAllLines(Path.Combine(_dir, "calls.log")) : [];

    private string[] Requests => File.Exists(Path.Combine(_dir, "requests.log")) ? File.ReadAllLines(Path.Combine(_dir, "requests.log")) : [];

    /// <summary>The last request the named script got, as JSON.</summary>
    private JsonNode LastRequest(string script) =>
        JsonNode.Parse(Requests.Last(l => l.StartsWith(script + " ", StringComparison.Ordinal))[(script.Length + 1)..])!;

    private string LastCall => Calls.Last();

    private static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, "Drivers", "HyperV", "Scripts", script);

    private async Task<HostOperationResult> Succeed(HostOperation operation)
    {
        var result = await Run(operation);
        Assert.True(result.Succeeded, $"{operation.Name}: {result.ErrorCode} {result.Message}\n{string.Join('\n', result.Logs)}");
        return result;
    }

    [Fact]
    public async Task Create_RunsTheScriptWithTheArgumentArray_AndSendsTheSpecAsJson()
    {
        var result = await Create("vm-web", Spec);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(["192.0.2.10"], result.Addresses);
        Assert.Contains("hyperv: created and started vm-web", result.Logs);
        var script = Path.Combine(AppContext.BaseDirectory, "Drivers", "HyperV", "Scripts", "vm.create.ps1");
        Assert.Equal([$"-NoProfile -NonInteractive -File {script}"], Calls);
        var request = System.Text.Json.Nodes.JsonNode.Parse(Requests.Single()["vm.create.ps1 ".Length..])!;
        Assert.Equal("vm-web", request["vmId"]!.GetValue<string>());
        Assert.Equal(2048, request["ramMb"]!.GetValue<long>());
        Assert.Equal(2, request["generation"]!.GetValue<int>());
        Assert.Equal("tenant-switch", request["switchName"]!.GetValue<string>());
        Assert.Equal(42, request["vlanId"]!.GetValue<int>());
        Assert.Equal("ops", request["cloudInit"]!["users"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateTwice_IsOneVm_DeleteTwice_Succeeds()
    {
        Assert.True((await Create("vm-twice", Spec)).Succeeded);
        var again = await Create("vm-twice", Spec);

        Assert.True(again.Succeeded);
        Assert.Contains(again.Logs, l => l.Contains("nothing to do", StringComparison.Ordinal));
        Assert.Single(await _driver.ListVmsAsync("hv-01", default), v => v.Name == "vm-twice");
        Assert.Equal(1, await _driver.CountRunningAsync("hv-01", default));

        Assert.True((await Run(new DeleteVm("tsk-1/DeleteVm", "vm-twice"))).Succeeded);
        Assert.Empty(await _driver.ListVmsAsync("hv-01", default));
        Assert.True((await Run(new DeleteVm("tsk-1/DeleteVm", "vm-twice"))).Succeeded);
        var start = await Run(new StartVm("tsk-1/StartVm", "vm-twice"));
        Assert.False(start.Succeeded);
        Assert.Equal(ErrorCodes.NotFound, start.ErrorCode);
    }

    [Fact]
    public async Task AScriptFailure_IsATypedFailure_WithStderrAndTheScriptsLogs()
    {
        var result = await Create("fail-vm", Spec);

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal(ErrorCodes.HostOperationFailed, result.ErrorCode);
        Assert.Equal("New-VM failed", result.Message);
        Assert.Contains(result.Logs, l => l.Contains("stderr: New-VM : The operation failed", StringComparison.Ordinal));
        Assert.Contains("hyperv: removed the disk this run created", result.Logs);
        Assert.True((await Create("busy-vm", Spec)).Retryable);
    }

    [Fact]
    public async Task OutputThatIsNotJson_IsAFailureNamingTheScript()
    {
        var result = await Create("garbage-vm", Spec);

        Assert.False(result.Succeeded);
        Assert.Contains("without a JSON reply", result.Message, StringComparison.Ordinal);
        Assert.Contains(result.Logs, l => l.Contains("WARNING: this is not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AScriptPastItsTimeout_IsStopped_AndARetryableFailure()
    {
        var result = await Create("slow-vm", Spec);

        Assert.False(result.Succeeded);
        Assert.True(result.Retryable);
        Assert.Contains("did not finish", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VM-Upper")]
    [InlineData("x; Remove-Item C:\\")]
    [InlineData("$(Stop-Computer)")]
    public async Task InvalidIds_NeverStartTheProcess(string vmId)
    {
        var result = await Create(vmId, Spec);
        var badImage = await Create("vm-ok", Spec with { ImageId = "..\\..\\windows" });

        Assert.Equal(ErrorCodes.Validation, result.ErrorCode);
        Assert.Equal(ErrorCodes.Validation, badImage.ErrorCode);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task Inventory_ComesFromTheInventoryScript()
    {
        var capacity = await _driver.MeasureCapacityAsync("hv-01", default);

        Assert.Equal(new ResourceAmount(8, 32768, 500, 0), capacity);
    }

    [Fact]
    public void EveryScript_ShipsWithTheAgent_StrictReadingStdinAnsweringJson()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Drivers", "HyperV", "Scripts");
        foreach (var name in new[] { "vm.create.ps1", "vm.delete.ps1", "vm.start.ps1", "vm.stop.ps1", "vm.reboot.ps1", "vm.resize.ps1", "vm.receive.ps1", "vm.release.ps1", "host.inventory.ps1" })
        {
            var text = File.ReadAllText(Path.Combine(dir, name));
            Assert.Contains("Set-StrictMode -Version Latest", text, StringComparison.Ordinal);
            Assert.Contains("$ErrorActionPreference = 'Stop'", text, StringComparison.Ordinal);
            Assert.Contains(". (Join-Path $PSScriptRoot 'common.ps1')", text, StringComparison.Ordinal);
            Assert.Contains("Read-Request", text, StringComparison.Ordinal);
            Assert.Contains("catch", text, StringComparison.Ordinal);
        }

        var common = File.ReadAllText(Path.Combine(dir, "common.ps1"));
        Assert.Contains("[Console]::In.ReadToEnd() | ConvertFrom-Json", common, StringComparison.Ordinal);
        Assert.Contains("ConvertTo-Json -Compress", common, StringComparison.Ordinal);

        // vm.create undoes, newest first, what it created when a later step fails.
        var create = File.ReadAllText(Path.Combine(dir, "vm.create.ps1"));
        Assert.Contains("$undo.Add(", create, StringComparison.Ordinal);
        Assert.Contains("for ($i = $undo.Count - 1; $i -ge 0; $i--)", create, StringComparison.Ordinal);

        // So does vm.receive, which never removes the shared disk; a resize only ever grows the VHD.
        var receive = File.ReadAllText(Path.Combine(dir, "vm.receive.ps1"));
        Assert.Contains("for ($i = $undo.Count - 1; $i -ge 0; $i--)", receive, StringComparison.Ordinal);
        Assert.DoesNotContain("Remove-Item", receive, StringComparison.Ordinal);
        Assert.Contains("facts = @{ disk = 'shared' }", receive, StringComparison.Ordinal);
        Assert.Contains("if ($wanted -gt $size)", File.ReadAllText(Path.Combine(dir, "vm.resize.ps1")), StringComparison.Ordinal);
        Assert.Contains("Restart-VM -VM $vm -Force", File.ReadAllText(Path.Combine(dir, "vm.reboot.ps1")), StringComparison.Ordinal);
        Assert.Contains("if ([bool] $request.keepDisks)", File.ReadAllText(Path.Combine(dir, "vm.release.ps1")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDriver_HandlesEveryVmOperation()
    {
        foreach (var type in typeof(VmOperation).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(VmOperation)) && !t.IsAbstract))
        {
            Assert.True(HostOperationDispatch.Supports(_driver, type), $"{HyperVDriver.DriverName} lacks {type.Name}");
        }
    }

    [Fact]
    public async Task Reboot_SendsTheRebootScript_ForcedOrGraceful_WithTheShutdownTimeout()
    {
        await Succeed(new CreateVm("tsk-r/create", "vm-reboot", Spec));

        var reset = await Succeed(new RebootVm("tsk-r/reset", "vm-reboot", Force: true));
        Assert.Equal($"-NoProfile -NonInteractive -File {ScriptPath("vm.reboot.ps1")}", LastCall);
        var forced = LastRequest("vm.reboot.ps1");
        Assert.Equal("tsk-r/reset", forced["operationId"]!.GetValue<string>());
        Assert.Equal("vm-reboot", forced["vmId"]!.GetValue<string>());
        Assert.True(forced["force"]!.GetValue<bool>());
        Assert.Contains("hyperv: reset vm-reboot", reset.Logs);

        await Succeed(new RebootVm("tsk-r/reboot", "vm-reboot"));
        var graceful = LastRequest("vm.reboot.ps1");
        Assert.False(graceful["force"]!.GetValue<bool>());
        Assert.Equal(60, graceful["shutdownTimeoutSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Reboot_OfAStoppedVm_IsAnInvalidTransition_AndOfAMissingOne_NotFound()
    {
        var missing = await Run(new RebootVm("tsk-r/missing", "vm-nowhere"));
        Assert.Equal(ErrorCodes.NotFound, missing.ErrorCode);

        await Succeed(new CreateVm("tsk-r/create", "vm-off", Spec));
        await Succeed(new StopVm("tsk-r/stop", "vm-off"));
        var stopped = await Run(new RebootVm("tsk-r/reboot", "vm-off"));

        Assert.False(stopped.Succeeded);
        Assert.False(stopped.Retryable);
        Assert.Equal(ErrorCodes.InvalidStateTransition, stopped.ErrorCode);
    }

    [Fact]
    public async Task Resize_SendsTheNewSize_AndIsRefusedWhileTheVmRuns()
    {
        await Succeed(new CreateVm("tsk-s/create", "vm-size", Spec));

        var running = await Run(new ResizeVm("tsk-s/early", "vm-size", 4, 4096, 40));
        Assert.Equal(ErrorCodes.InvalidStateTransition, running.ErrorCode);
        Assert.False(running.Retryable);

        await Succeed(new StopVm("tsk-s/stop", "vm-size"));
        await Succeed(new ResizeVm("tsk-s/resize", "vm-size", 4, 4096, 40));
        Assert.Equal($"-NoProfile -NonInteractive -File {ScriptPath("vm.resize.ps1")}", LastCall);
        var request = LastRequest("vm.resize.ps1");
        Assert.Equal("vm-size", request["vmId"]!.GetValue<string>());
        Assert.Equal(4, request["cpu"]!.GetValue<int>());
        Assert.Equal(4096, request["ramMb"]!.GetValue<long>());
        Assert.Equal(40, request["diskGb"]!.GetValue<long>());
        Assert.Equal(@"C:\OrleansCloud\Disks", request["vhdDir"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resize_OutsideTheVmLimits_NeverStartsTheProcess()
    {
        var result = await Run(new ResizeVm("tsk-s/bad", "vm-size", 0, 64, 0));

        Assert.Equal(ErrorCodes.Validation, result.ErrorCode);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task Migration_ReleaseKeepingDisks_ThenReceive_ReportsASharedDisk_AndSendsTheSpec()
    {
        await Succeed(new CreateVm("tsk-m/create", "vm-move", Spec));
        await Succeed(new StopVm("tsk-m/stop", "vm-move"));

        await Succeed(new ReleaseVm("tsk-m/release", "vm-move", KeepDisks: true));
        Assert.Equal($"-NoProfile -NonInteractive -File {ScriptPath("vm.release.ps1")}", LastCall);
        Assert.True(LastRequest("vm.release.ps1")["keepDisks"]!.GetValue<bool>());
        Assert.Empty(await _driver.ListVmsAsync("hv-01", default));

        var receive = new ReceiveVm("tsk-m/receive", "vm-move", Spec, SourceHost: "hv-02");
        var received = await Succeed(receive);
        Assert.Equal($"-NoProfile -NonInteractive -File {ScriptPath("vm.receive.ps1")}", LastCall);
        Assert.Equal("shared", received.Fact("disk"));
        var request = LastRequest("vm.receive.ps1");
        Assert.Equal("hv-02", request["sourceHost"]!.GetValue<string>());
        Assert.Equal("web", request["name"]!.GetValue<string>());
        Assert.Equal(2, request["cpu"]!.GetValue<int>());
        Assert.Equal(2048, request["ramMb"]!.GetValue<long>());
        Assert.Equal(2, request["generation"]!.GetValue<int>());
        Assert.Equal("tenant-switch", request["switchName"]!.GetValue<string>());
        Assert.Equal(42, request["vlanId"]!.GetValue<int>());
        Assert.Single(await _driver.ListVmsAsync("hv-01", default), v => v.Name == "vm-move" && v.State == "Off");
        Assert.Equal("shared", (await Succeed(receive)).Fact("disk"));

        await Succeed(new StartVm("tsk-m/start", "vm-move"));
        Assert.Equal(1, await _driver.CountRunningAsync("hv-01", default));
    }

    [Fact]
    public async Task Receive_WithoutTheSharedDisk_FailsForGood_AndReleaseWithoutKeepDisks_RemovesThem()
    {
        await Succeed(new CreateVm("tsk-m/create", "vm-gone", Spec));

        await Succeed(new ReleaseVm("tsk-m/release", "vm-gone", KeepDisks: false));
        Assert.False(LastRequest("vm.release.ps1")["keepDisks"]!.GetValue<bool>());
        await Succeed(new ReleaseVm("tsk-m/release", "vm-gone", KeepDisks: false));
        var received = await Run(new ReceiveVm("tsk-m/receive", "vm-gone", Spec, SourceHost: "hv-02"));

        Assert.False(received.Succeeded);
        Assert.False(received.Retryable);
        Assert.Equal(ErrorCodes.HostOperationFailed, received.ErrorCode);
        Assert.Contains("shared storage", received.Message, StringComparison.Ordinal);
        Assert.Null(received.Fact("disk"));
        Assert.Empty(await _driver.ListVmsAsync("hv-01", default));
    }

    [Fact]
    public async Task TenantInterfaces_BecomeAdaptersOnTheSwitch_WithTheirMacAndVlan_AndAttachDetachAreIdempotent()
    {
        var nic = new VmInterface("net-aaa", "front", "vm-nics/nic0", "52:54:00:0a:0b:0c", "10.1.2.5", "10.1.2.0/24", "10.1.2.1", 101);
        await Succeed(new CreateVm("tsk-n/create", "vm-nics", Spec with { Interfaces = [nic] }));
        var create = LastRequest("vm.create.ps1");
        Assert.Equal("52:54:00:0a:0b:0c", create["interfaces"]![0]!["mac"]!.GetValue<string>());
        Assert.Equal(101, create["interfaces"]![0]!["vlanId"]!.GetValue<int>());
        Assert.Contains("10.1.2.5/24", create["networkConfig"]!.GetValue<string>());

        var extra = nic with { NetworkId = "net-bbb", Owner = "vm-nics/nic1", Mac = "52:54:00:0d:0e:0f", Vlan = 102 };
        var attached = await Succeed(new AttachInterface("tsk-n/attach", "vm-nics", extra));
        var request = LastRequest("vm.nic.attach.ps1");
        Assert.Equal("tenant-switch", request["switchName"]!.GetValue<string>());
        Assert.Equal(102, request["interface"]!["vlanId"]!.GetValue<int>());
        Assert.Contains("hyperv: vm-nics adapter 52:54:00:0d:0e:0f added", attached.Logs);
        Assert.Contains("hyperv: vm-nics has adapter 52:54:00:0d:0e:0f already", (await Succeed(new AttachInterface("tsk-n/attach", "vm-nics", extra))).Logs);

        Assert.Contains("hyperv: removed adapter 52:54:00:0d:0e:0f from vm-nics", (await Succeed(new DetachInterface("tsk-n/detach", "vm-nics", extra))).Logs);
        Assert.Contains("hyperv: vm-nics has no adapter 52:54:00:0d:0e:0f; nothing to remove", (await Succeed(new DetachInterface("tsk-n/detach", "vm-nics", extra))).Logs);
        Assert.Equal("ERR_NOT_FOUND", (await Run(new AttachInterface("tsk-n/none", "vm-absent", extra))).ErrorCode);
    }
}
