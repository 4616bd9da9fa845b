using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Drivers.Ovs;

namespace OrleansCloud.HostAgent.Tests.Support;

/// <summary>
/// The machine's real libvirtd and Open vSwitch, made ready by deploy/hypervisor.sh (which installs
/// and starts them when missing), and drivers pointed at them with a test storage directory.
/// </summary>
public sealed class Hypervisor : IAsyncLifetime
{
    public const string Uri = "qemu:///system";

    public static readonly string StorageDir = Path.Combine(Path.GetTempPath(), "orleanscloud-test-disks");

    public ICommandRunner Commands { get; } = new CliWrapCommandRunner(NullLogger<CliWrapCommandRunner>.Instance);

    /// <summary>A short shutdown timeout: the test domains boot no guest, so they never answer ACPI and always meet it.</summary>
    public LibvirtOptions Options { get; } = new() { Uri = Uri, StorageDir = StorageDir, ImagesDir = Path.Combine(StorageDir, "images"), StoragePool = "oct-test-disks", ShutdownTimeout = TimeSpan.FromSeconds(3) };

    public LibvirtDriver Driver { get; private set; } = null!;

    public OvsNetworkDriver Networks { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = typeof(Hypervisor).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        using (var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "hypervisor.sh")]) { RedirectStandardError = true })!)
        {
            var error = await setup.StandardError.ReadToEndAsync();
            await setup.WaitForExitAsync();
            Assert.True(setup.ExitCode == 0, $"deploy/hypervisor.sh failed: {error}");
        }

        Directory.CreateDirectory(StorageDir);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Driver = new LibvirtDriver(Commands, options, NullLogger<LibvirtDriver>.Instance);
        Networks = new OvsNetworkDriver(Commands, options);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public async Task<string[]> Virsh(params string[] arguments)
    {
        var result = await Commands.RunCheckedAsync("virsh", ["-c", Uri, .. arguments], CancellationToken.None);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async Task<string> Ovs(params string[] arguments) =>
        (await Commands.RunCheckedAsync("ovs-vsctl", arguments, CancellationToken.None)).StandardOutput.Trim();

    /// <summary>Best-effort removal of what a test made, whatever state it stopped in.</summary>
    public async Task CleanUp(string? vmId = null, string? network = null, string? bridge = null)
    {
        if (vmId is not null)
        {
            await Commands.RunAsync("virsh", ["-c", Uri, "destroy", vmId], CancellationToken.None);
            await Commands.RunAsync("virsh", ["-c", Uri, "undefine", vmId, "--nvram"], CancellationToken.None);
            File.Delete(Driver.DiskPath(vmId));
            File.Delete(Driver.SeedPath(vmId));
        }

        if (network is not null)
        {
            await Commands.RunAsync("virsh", ["-c", Uri, "net-destroy", network], CancellationToken.None);
            await Commands.RunAsync("virsh", ["-c", Uri, "net-undefine", network], CancellationToken.None);
        }

        if (bridge is not null)
        {
            await Commands.RunAsync("ovs-vsctl", ["--if-exists", "del-br", bridge], CancellationToken.None);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HypervisorCollection : ICollectionFixture<Hypervisor>
{
    public const string Name = "real hypervisor";
}
