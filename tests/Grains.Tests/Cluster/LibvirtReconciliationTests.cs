using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Reconciliation;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Reconciliation;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// The cluster with one more host driven by the machine's real libvirtd (made ready by
/// deploy/hypervisor.sh), in an area of its own so no other test places on it.
/// </summary>
public sealed class LibvirtClusterFixture : ClusterFixture
{
    public const string Host = "kvm-reconcile";
    public const string Area = "kvm-reconcile";

    public static readonly string StorageDir = Path.Combine(Path.GetTempPath(), "orleanscloud-test-reconcile");

    protected override int ExpectedHosts => 5;

    protected override IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>
    {
        ["HostAgent:Hosts:0:Name"] = Host,
        ["HostAgent:Hosts:0:Area"] = Area,
        ["HostAgent:Hosts:0:Driver"] = LibvirtDriver.DriverName,
        ["Libvirt:Uri"] = "qemu:///system",
        ["Libvirt:StorageDir"] = StorageDir,
        ["Libvirt:ImagesDir"] = Path.Combine(StorageDir, "images"),
        ["Libvirt:StoragePool"] = "oct-reconcile",
        ["Libvirt:ShutdownTimeout"] = "00:00:03",
    };

    static LibvirtClusterFixture()
    {
        var root = typeof(LibvirtClusterFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        using var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "hypervisor.sh")]) { RedirectStandardError = true })!;
        setup.StandardError.ReadToEnd();
        setup.WaitForExit();
        Directory.CreateDirectory(StorageDir);
    }
}

/// <summary>
/// Reconciliation on the real libvirtd: a VM destroyed and undefined with virsh behind the
/// platform's back is reported lost and its usage released; a domain defined behind its back with
/// a VM id's name is removed once its grace period is over.
/// </summary>
public sealed class LibvirtReconciliationTests(LibvirtClusterFixture fixture) : IClassFixture<LibvirtClusterFixture>
{
    private const string Host = LibvirtClusterFixture.Host;

    private readonly IClusterClient _grains = fixture.Client;

    private IHypervisorDriver Driver => fixture.SiloServices.GetRequiredService<DriverRegistry>().Find(LibvirtDriver.DriverName)!;

    [Fact]
    public async Task AVmUndefinedWithVirsh_IsReportedLost_AndItsUsageReleased()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(4, 8192, 40, 4));
        var spec = new VmSpec("real", 1, 128, 1, "no-such-image", 2, """{"users":[{"name":"ops"}]}""", LibvirtClusterFixture.Area);
        var taskId = NewId("tsk");
        Assert.True((await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, spec))).IsSuccess);
        var created = await Final(_grains, taskId);
        Assert.True(created.State == TaskState.Succeeded, string.Join('\n', created.Logs ?? []));
        var vmId = created.Result!.VmId!;
        Assert.Equal(Host, (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!.Host);
        Assert.Contains(vmId, await Virsh("list", "--all", "--name"));

        await Virsh("destroy", vmId);
        await Virsh("undefine", vmId, "--nvram");
        await Reconcile(vmId);
        var report = await Reconcile(vmId);

        Assert.Contains(vmId, report.Lost);
        Assert.Equal(VmState.Failed, (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
        Assert.DoesNotContain(vmId, await _grains.GetGrain<IHostGrain>(Host).Allocated());
    }

    [Fact]
    public async Task ADomainDefinedBehindTheBack_IsRemovedAfterItsGracePeriod()
    {
        var orphan = "vm-" + Guid.NewGuid().ToString("N")[..16];
        var made = await HostOperationDispatch.RunAsync(Driver, Host,
            new CreateVm("outside/" + orphan, orphan, new VmSpec("stray", 1, 128, 1, "no-such-image", 2, "{}", null)), CancellationToken.None);
        Assert.True(made.Succeeded, made.Message);
        try
        {
            Assert.Contains(orphan, (await Reconcile(orphan)).OrphansWaiting);
            Assert.Contains(orphan, await Virsh("list", "--all", "--name"));

            fixture.Clock.Advance(TimeSpan.FromMinutes(6));
            var report = await Reconcile(orphan);

            Assert.Contains(orphan, report.OrphansRemoved);
            Assert.DoesNotContain(orphan, await Virsh("list", "--all", "--name"));
        }
        finally
        {
            await HostOperationDispatch.RunAsync(Driver, Host, new DeleteVm("outside/cleanup/" + orphan, orphan), CancellationToken.None);
        }
    }

    /// <summary>
    /// A pass over what libvirt reports of this test's own domains only: the machine's libvirtd is shared
    /// by every test project running at the same time, and their domains are not this cluster's to judge
    /// (on a real host, one libvirtd belongs to one agent).
    /// </summary>
    private async Task<ReconciliationReport> Reconcile(params string[] mine)
    {
        var vms = await ((IVmInventory)Driver).ListVmsAsync(Host, CancellationToken.None);
        return await _grains.GetGrain<IHostReconcilerGrain>(Host).Report(
            [.. vms.Where(v => mine.Contains(v.Name, StringComparer.Ordinal)).Select(v => new ObservedVm(v.Name, ReconciliationService.IsRunning(v.State)))]);
    }

    private static async Task<string[]> Virsh(params string[] arguments)
    {
        var info = new ProcessStartInfo("virsh", ["-c", "qemu:///system", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
