using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.HostAgent.Tests.Support;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

/// <summary>The libvirt and Open vSwitch drivers against the machine's real libvirtd (KVM or QEMU) and OVS.</summary>
[Collection(HypervisorCollection.Name)]
public sealed class LibvirtAndOvsTests(Hypervisor hypervisor) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private string VmId => $"oct-vm-{_suffix}";

    private string Network => $"oct-net-{_suffix}";

    private string Bridge => $"octbr{_suffix}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hypervisor.CleanUp(VmId, Network, Bridge);

    private static VmSpec Tiny(string? network, string image = "no-such-image") =>
        new("tiny", 1, 128, 1, image, 2, """{"users":[{"name":"ops"}]}""", null, network);

    [Fact]
    public async Task NetworkAndVm_AreReallyCreated_Repeatable_AndReallyDeleted()
    {
        var created = await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec(Network, Bridge, 100), default);
        Assert.True(created.Succeeded, created.Message + string.Join('\n', created.Logs));
        Assert.True(created.Created);
        var again = await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec(Network, Bridge, 100), default);
        Assert.True(again.Succeeded && !again.Created);
        Assert.Single(await hypervisor.Virsh("net-list", "--all", "--name"), n => n == Network);
        Assert.Contains(Bridge, await hypervisor.Ovs("list-br"));
        Assert.Equal("netdev", await hypervisor.Ovs("get", "bridge", Bridge, "datapath_type"));

        var operation = new CreateVm($"tsk-{_suffix}/main", VmId, Tiny(Network));
        var vm = await hypervisor.Driver.ExecuteAsync("kvm-test", operation, default);
        Assert.True(vm.Succeeded, vm.Message + "\n" + string.Join('\n', vm.Logs));
        Assert.Contains(VmId, await hypervisor.Virsh("list", "--name"));
        Assert.Equal(100, await hypervisor.Networks.PortTagAsync(VmId, default));
        Assert.True(File.Exists(hypervisor.Driver.DiskPath(VmId)));
        Assert.True(File.Exists(hypervisor.Driver.SeedPath(VmId)));

        var repeated = await hypervisor.Driver.ExecuteAsync("kvm-test", operation, default);
        Assert.True(repeated.Succeeded);
        Assert.Single(await hypervisor.Virsh("list", "--all", "--name"), n => n == VmId);
        Assert.Contains(await hypervisor.Driver.ListVmsAsync("kvm-test", default), v => v.Name == VmId && v.State == "running" && v.RamMb == 128);

        var delete = new DeleteVm($"tsk-{_suffix}-d/main", VmId);
        Assert.True((await hypervisor.Driver.ExecuteAsync("kvm-test", delete, default)).Succeeded);
        Assert.DoesNotContain(VmId, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.False(File.Exists(hypervisor.Driver.DiskPath(VmId)));
        Assert.False(File.Exists(hypervisor.Driver.SeedPath(VmId)));
        Assert.True((await hypervisor.Driver.ExecuteAsync("kvm-test", delete, default)).Succeeded);

        var removed = await hypervisor.Networks.DeleteNetworkAsync(Network, default);
        Assert.True(removed.Succeeded && removed.Deleted);
        Assert.DoesNotContain(Network, await hypervisor.Virsh("net-list", "--all", "--name"));
        var removedAgain = await hypervisor.Networks.DeleteNetworkAsync(Network, default);
        Assert.True(removedAgain.Succeeded && !removedAgain.Deleted);
    }

    [Fact]
    public async Task ANetworkWithTheSameNameButAnotherVlan_IsAConflict_AndLeavesTheFirst()
    {
        Assert.True((await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec(Network, Bridge, 200), default)).Succeeded);

        var other = await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec(Network, Bridge, 201), default);

        Assert.True(other.Conflict);
        Assert.Equal(200, (await hypervisor.Networks.GetAsync(Network, default))!.Vlan);
    }

    [Fact]
    public async Task AFailingCommand_IsATypedFailureWithStderr_AndLeavesNothingBehind()
    {
        // libvirt refuses to start a domain on a network that does not exist: after define, before run.
        var operation = new CreateVm($"tsk-{_suffix}/main", VmId, Tiny($"oct-missing-{_suffix}"));

        var result = await hypervisor.Driver.ExecuteAsync("kvm-test", operation, default);

        Assert.False(result.Succeeded);
        Assert.Equal(ErrorCodes.HostOperationFailed, result.ErrorCode);
        Assert.Contains(result.Logs, l => l.Contains("stderr:", StringComparison.Ordinal) && l.Contains("network", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(VmId, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.False(File.Exists(hypervisor.Driver.DiskPath(VmId)));
        Assert.False(File.Exists(hypervisor.Driver.SeedPath(VmId)));
    }

    [Fact]
    public async Task InvalidNames_NeverReachACommand()
    {
        var bad = await hypervisor.Driver.ExecuteAsync("kvm-test", new CreateVm("op", "x; reboot", Tiny(null)), default);
        var badNetwork = await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec("n$(id)", Bridge, 10), default);
        var badImage = await hypervisor.Driver.ExecuteAsync("kvm-test", new CreateVm("op", VmId, Tiny(null, "../../etc/passwd")), default);

        Assert.False(bad.Succeeded);
        Assert.False(badNetwork.Succeeded);
        Assert.False(badImage.Succeeded);
        Assert.Equal(ErrorCodes.Validation, badImage.ErrorCode);
        Assert.DoesNotContain(VmId, await hypervisor.Virsh("list", "--all", "--name"));
        Assert.DoesNotContain(Bridge, await hypervisor.Ovs("list-br"));
    }

    [Fact]
    public async Task Inventory_ReportsTheHostsCpusMemoryAndDisk()
    {
        var capacity = await hypervisor.Driver.MeasureCapacityAsync("kvm-test", default);

        Assert.NotNull(capacity);
        Assert.Equal(Environment.ProcessorCount, capacity.Vcpus);
        // Not capacity.ToString(): ResourceAmount's printer recurses through PositivePart (a new ResourceAmount each time).
        Assert.True(capacity.RamMb > 256 && capacity.DiskGb > 0, $"{capacity.RamMb} MB, {capacity.DiskGb} GB");
    }
}
