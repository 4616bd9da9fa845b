using System.Diagnostics;
using System.Reflection;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Libvirt;

/// <summary>
/// The all-in-one with one real host: this machine's libvirtd (KVM, or QEMU emulation) through the
/// libvirt driver, instead of simulated hosts. deploy/hypervisor.sh makes the daemons ready first.
/// </summary>
public sealed class LibvirtAllInOneFactory : AllInOneFactory
{
    public const string HostName = "kvm-01";

    public static readonly string StorageDir = Path.Combine(Path.GetTempPath(), "orleanscloud-aio-disks");

    public LibvirtAllInOneFactory()
    {
        var root = typeof(LibvirtAllInOneFactory).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        using var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "hypervisor.sh")]) { RedirectStandardError = true })!;
        var error = setup.StandardError.ReadToEnd();
        setup.WaitForExit();
        if (setup.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/hypervisor.sh failed: {error}");
        }
    }

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["HostAgent:Simulated:Count"] = "0",
        ["HostAgent:Hosts:0:Name"] = HostName,
        ["HostAgent:Hosts:0:Driver"] = "libvirt",
        ["HostAgent:Hosts:0:MaxVms"] = "4",
        ["HostAgent:LocalApi:Enabled"] = "false",
        ["Libvirt:StorageDir"] = StorageDir,
        ["Libvirt:ImagesDir"] = Path.Combine(StorageDir, "images"),
        ["Libvirt:StoragePool"] = "oct-aio-disks",

        // The test domain boots no OS, so it never answers an ACPI shutdown: stop falls back to destroy soon.
        ["Libvirt:ShutdownTimeout"] = "00:00:02",
    };
}
