using System.Text.Json.Nodes;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Tests.Support;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

/// <summary>
/// Reboot, resize and both sides of a cold migration on the machine's real libvirtd, routed as the
/// agent routes them (<see cref="HostOperationDispatch"/>). The test domains boot no guest, so a
/// graceful shutdown always ends in the fallback destroy after the fixture's short timeout.
/// </summary>
[Collection(HypervisorCollection.Name)]
public sealed class LibvirtOperationsTests(Hypervisor hypervisor) : IAsyncLifetime
{
    private const string Host = "kvm-test";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private int _step;

    private string VmId => $"oct-op-{_suffix}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hypervisor.CleanUp(VmId);

    private static VmSpec Tiny => new("tiny", 1, 128, 1, "no-such-image", 2, """{"users":[{"name":"ops"}]}""", null);

    private string NextId() => $"tsk-{_suffix}/{++_step}";

    private async Task<HostOperationResult> Run(HostOperation operation)
    {
        var result = await HostOperationDispatch.RunAsync(hypervisor.Driver, Host, operation, default);
        Assert.NotNull(result.Logs);
        return result;
    }

    private async Task<HostOperationResult> Succeed(HostOperation operation)
    {
        var result = await Run(operation);
        Assert.True(result.Succeeded, $"{operation.Name}: {result.ErrorCode} {result.Message}\n{string.Join('\n', result.Logs)}");
        return result;
    }

    private async Task<string?> State() => await hypervisor.Driver.StateAsync(VmId, default);

    private async Task<Dictionary<string, string>> DomInfo() =>
        (await hypervisor.Virsh("dominfo", VmId)).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());

    private async Task<long> VirtualSize()
    {
        var info = await hypervisor.Commands.RunCheckedAsync("qemu-img", ["info", "-U", "--output=json", hypervisor.Driver.DiskPath(VmId)], CancellationToken.None);
        return JsonNode.Parse(info.StandardOutput)!["virtual-size"]!.GetValue<long>();
    }

    private async Task<string> Inode() =>
        (await hypervisor.Commands.RunCheckedAsync("stat", ["--format=%i", hypervisor.Driver.DiskPath(VmId)], CancellationToken.None)).StandardOutput.Trim();

    private async Task<string> DomainId() => (await hypervisor.Virsh("domid", VmId)).Single();

    [Fact]
    public async Task ForcedReboot_ResetsTheDomain_AndLeavesItRunning()
    {
        await Succeed(new CreateVm(NextId(), VmId, Tiny));
        var id = await DomainId();

        var result = await Succeed(new RebootVm(NextId(), VmId, Force: true));

        Assert.Contains(result.Logs, l => l.Contains(" reset ", StringComparison.Ordinal));
        Assert.Equal("running", await State());
        Assert.Equal(id, await DomainId());
    }

    [Fact]
    public async Task GracefulReboot_IsACold_ShutdownThenStart_AndLeavesTheDomainRunning()
    {
        await Succeed(new CreateVm(NextId(), VmId, Tiny));
        var id = await DomainId();

        var result = await Succeed(new RebootVm(NextId(), VmId));

        Assert.Contains(result.Logs, l => l.Contains(" shutdown ", StringComparison.Ordinal));
        Assert.Contains(result.Logs, l => l.Contains("did not shut down within", StringComparison.Ordinal));
        Assert.Contains(result.Logs, l => l.Contains(" start ", StringComparison.Ordinal));
        Assert.Equal("running", await State());
        Assert.NotEqual(id, await DomainId());
    }

    [Fact]
    public async Task Reboot_OfAStoppedDomain_IsAnInvalidTransition_AndOfAMissingOne_NotFound()
    {
        var missing = await Run(new RebootVm(NextId(), VmId, Force: true));
        Assert.Equal(ErrorCodes.NotFound, missing.ErrorCode);
        Assert.False(missing.Retryable);

        await Succeed(new CreateVm(NextId(), VmId, Tiny));
        await Succeed(new StopVm(NextId(), VmId, Force: true));
        var stopped = await Run(new RebootVm(NextId(), VmId));

        Assert.False(stopped.Succeeded);
        Assert.Equal(ErrorCodes.InvalidStateTransition, stopped.ErrorCode);
        Assert.False(stopped.Retryable);
        Assert.Equal("shut off", await State());
    }

    [Fact]
    public async Task Resize_OfAShutOffDomain_ChangesCpuAndMemory_GrowsTheDisk_Repeatably_AndNeverShrinksIt()
    {
        await Succeed(new CreateVm(NextId(), VmId, Tiny));

        var running = await Run(new ResizeVm(NextId(), VmId, 2, 256, 2));
        Assert.False(running.Succeeded);
        Assert.Equal(ErrorCodes.InvalidStateTransition, running.ErrorCode);
        Assert.False(running.Retryable);
        Assert.Equal("1", (await DomInfo())["CPU(s)"]);

        await Succeed(new StopVm(NextId(), VmId, Force: true));
        Assert.Equal(1L << 30, await VirtualSize());
        var grow = new ResizeVm(NextId(), VmId, 2, 256, 2);
        await Succeed(grow);
        await Succeed(grow);

        var grown = await DomInfo();
        Assert.Equal("2", grown["CPU(s)"]);
        Assert.Equal("262144 KiB", grown["Max memory"]);
        Assert.Equal(2L << 30, await VirtualSize());

        // Back to the smallest size, with a smaller disk asked for: cpu and memory shrink (current
        // value first), the disk keeps its 2 GB; and the domain still starts.
        var shrink = await Succeed(new ResizeVm(NextId(), VmId, 1, 128, 1));
        Assert.Contains(shrink.Logs, l => l.Contains("never shrinks", StringComparison.Ordinal));
        var shrunk = await DomInfo();
        Assert.Equal("1", shrunk["CPU(s)"]);
        Assert.Equal("131072 KiB", shrunk["Max memory"]);
        Assert.Equal(2L << 30, await VirtualSize());
        await Succeed(new StartVm(NextId(), VmId));
        Assert.Equal("running", await State());
    }

    [Fact]
    public async Task ColdMigration_OnSharedStorage_StopReleaseReceiveStart_RunsTheSameDiskFile()
    {
        await Succeed(new CreateVm(NextId(), VmId, Tiny));
        var inode = await Inode();

        // One libvirtd plays both hosts, so the source lets go of the domain before the target takes it.
        await Succeed(new StopVm(NextId(), VmId));
        Assert.Equal("shut off", await State());
        await Succeed(new ReleaseVm(NextId(), VmId, KeepDisks: true));
        Assert.Null(await State());
        Assert.True(File.Exists(hypervisor.Driver.DiskPath(VmId)));
        File.Delete(hypervisor.Driver.SeedPath(VmId)); // the receive rebuilds a missing seed

        var receive = new ReceiveVm(NextId(), VmId, Tiny, SourceHost: "kvm-source");
        var received = await Succeed(receive);
        Assert.Equal("shared", received.Fact("disk"));
        Assert.Equal("shut off", await State());
        Assert.True(File.Exists(hypervisor.Driver.SeedPath(VmId)));
        var again = await Succeed(receive);
        Assert.Equal("shared", again.Fact("disk"));

        await Succeed(new StartVm(NextId(), VmId));
        Assert.Equal("running", await State());
        Assert.Contains(await hypervisor.Virsh("domblklist", VmId), l => l.EndsWith(hypervisor.Driver.DiskPath(VmId), StringComparison.Ordinal));
        Assert.Equal(inode, await Inode());

        await Succeed(new DeleteVm(NextId(), VmId));
        Assert.Null(await State());
        Assert.False(File.Exists(hypervisor.Driver.DiskPath(VmId)));
    }

    [Fact]
    public async Task Release_OfAnAbsentDomain_Succeeds_AndWithoutKeepDisks_RemovesTheFiles()
    {
        await Succeed(new CreateVm(NextId(), VmId, Tiny));

        await Succeed(new ReleaseVm(NextId(), VmId, KeepDisks: false));
        await Succeed(new ReleaseVm(NextId(), VmId, KeepDisks: false));

        Assert.Null(await State());
        Assert.False(File.Exists(hypervisor.Driver.DiskPath(VmId)));
        Assert.False(File.Exists(hypervisor.Driver.SeedPath(VmId)));
    }

    [Fact]
    public async Task Receive_WithoutTheDiskInSharedStorage_FailsForGood_AndDefinesNothing()
    {
        var result = await Run(new ReceiveVm(NextId(), VmId, Tiny, SourceHost: "kvm-source"));

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal(ErrorCodes.HostOperationFailed, result.ErrorCode);
        Assert.Contains("shared storage", result.Message, StringComparison.Ordinal);
        Assert.Null(result.Fact("disk"));
        Assert.Null(await State());
        Assert.DoesNotContain(VmId, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.False(File.Exists(hypervisor.Driver.SeedPath(VmId)));
        Assert.False(File.Exists(hypervisor.Driver.DiskPath(VmId)));
    }

    [Fact]
    public void TheDriver_HandlesEveryVmOperation()
    {
        foreach (var type in typeof(VmOperation).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(VmOperation)) && !t.IsAbstract))
        {
            Assert.True(HostOperationDispatch.Supports(hypervisor.Driver, type), $"{LibvirtDriver.DriverName} lacks {type.Name}");
        }
    }
}
