using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.Tests.Support;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

/// <summary>
/// Storage pools on the machine's real libvirtd. Each test has its own pool and directory (the daemon is
/// shared with other test projects), and judges only what it made.
/// </summary>
[Collection(HypervisorCollection.Name)]
public sealed class LibvirtStoragePoolTests(Hypervisor hypervisor) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private string Pool => $"oct-pool-{_suffix}";

    private string VmId => $"oct-pool-vm-{_suffix}";

    private string Directory => Path.Combine(Path.GetTempPath(), $"orleanscloud-test-pool-{_suffix}");

    private LibvirtDriver _driver = null!;

    public Task InitializeAsync()
    {
        var options = new LibvirtOptions
        {
            Uri = Hypervisor.Uri,
            StorageDir = Directory,
            ImagesDir = Path.Combine(Directory, "images"),
            StoragePool = Pool,
            AllowBlankDisk = false,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        _driver = new LibvirtDriver(hypervisor.Commands, Microsoft.Extensions.Options.Options.Create(options), NullLogger<LibvirtDriver>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await hypervisor.CleanUp(VmId);
        await hypervisor.Commands.RunAsync("virsh", ["-c", Hypervisor.Uri, "pool-destroy", Pool], CancellationToken.None);
        await hypervisor.Commands.RunAsync("virsh", ["-c", Hypervisor.Uri, "pool-undefine", Pool], CancellationToken.None);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static HostDefinition Host => new() { Name = "kvm-pool-test", Driver = LibvirtDriver.DriverName };

    private async Task<Dictionary<string, string>> PoolInfo() =>
        (await hypervisor.Virsh("pool-info", Pool)).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());

    [Fact]
    public async Task TheAgentsPool_IsDefinedOverItsStorageDirectory_Running_Autostarted_AndReportedFirstWithItsSizes()
    {
        var pools = await _driver.ListStoragePoolsAsync(Host, default);

        Assert.NotNull(pools);
        var own = pools[0];
        Assert.Equal(Pool, own.Name);
        Assert.Equal(Directory, own.Path);
        Assert.True(own.SizeGb > 0, $"size {own.SizeGb}");
        Assert.InRange(own.FreeGb, 1, own.SizeGb);
        var info = await PoolInfo();
        Assert.Equal("running", info["State"]);
        Assert.Equal("yes", info["Autostart"]);
        Assert.Equal("yes", info["Persistent"]);

        // Reporting again changes nothing: the pool is not defined twice.
        var again = await _driver.ListStoragePoolsAsync(Host, default);
        Assert.Single(again!, p => p.Name == Pool);
    }

    [Fact]
    public async Task AVmFromAnImageInThePool_GetsAQcow2InThePool_BackedByTheImageFile_AndDeleteRemovesIt()
    {
        await _driver.ListStoragePoolsAsync(Host, default);
        var image = Path.Combine(Directory, $"base-{_suffix}.qcow2");
        await hypervisor.Commands.RunCheckedAsync("qemu-img", ["create", "-q", "-f", "qcow2", image, "1G"], CancellationToken.None);
        var spec = new VmSpec("pooled", 1, 128, 2, "no-such-image", 2, """{"users":[{"name":"ops"}]}""", null,
            Pool: Pool, ImageFile: Path.GetFileName(image));

        var created = await HostOperationDispatch.RunAsync(_driver, Host.Name, new CreateVm($"tsk-{_suffix}/1", VmId, spec), default);

        Assert.True(created.Succeeded, $"{created.ErrorCode} {created.Message}\n{string.Join('\n', created.Logs)}");
        var disk = Path.Combine(Directory, VmId + ".qcow2");
        Assert.Equal(disk, _driver.DiskPath(VmId));
        var info = JsonNode.Parse((await hypervisor.Commands.RunCheckedAsync("qemu-img", ["info", "-U", "--output=json", disk], CancellationToken.None)).StandardOutput)!;
        Assert.Equal("qcow2", info["format"]!.GetValue<string>());
        Assert.Equal(image, info["backing-filename"]!.GetValue<string>());
        Assert.Equal(2L * 1024 * 1024 * 1024, info["virtual-size"]!.GetValue<long>());

        var deleted = await HostOperationDispatch.RunAsync(_driver, Host.Name, new DeleteVm($"tsk-{_suffix}/2", VmId), default);
        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.False(File.Exists(disk));
        Assert.True(File.Exists(image));
    }

    [Fact]
    public async Task AVmWhoseImageFileIsNowhere_FailsForGood_WhenBlankDisksAreNotAllowed()
    {
        await _driver.ListStoragePoolsAsync(Host, default);
        var spec = new VmSpec("pooled", 1, 128, 1, "no-such-image", 2, "{}", null, Pool: Pool, ImageFile: "missing.qcow2");

        var created = await HostOperationDispatch.RunAsync(_driver, Host.Name, new CreateVm($"tsk-{_suffix}/1", VmId, spec), default);

        Assert.False(created.Succeeded);
        Assert.Equal(ErrorCodes.NotFound, created.ErrorCode);
        Assert.False(File.Exists(Path.Combine(Directory, VmId + ".qcow2")));
        Assert.Null(await _driver.StateAsync(VmId, default));
    }
}
