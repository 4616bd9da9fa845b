using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Simulated;

/// <summary>A simulated hypervisor with a state file keeps its VMs across an agent restart, as a real one does.</summary>
public sealed class SimulatedStateFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "oc-sim-" + Guid.NewGuid().ToString("N"), "hosts.json");

    [Fact]
    public async Task ARestartedDriver_HasTheDomainsAndPowerStatesOfTheOneBefore()
    {
        var before = Driver(_path);
        await before.ExecuteAsync("sim-01", new CreateVm("op-1", "vm-0001aaaa", new VmSpec("kept", 2, 2048, 20, "img", 2, "{}", null)), CancellationToken.None);
        await before.ExecuteAsync("sim-01", new CreateVm("op-2", "vm-0002bbbb", new VmSpec("stopped", 1, 1024, 10, "img", 2, "{}", null)), CancellationToken.None);
        await before.ExecuteAsync("sim-01", new StopVm("op-3", "vm-0002bbbb", Force: true), CancellationToken.None);
        await before.ExecuteAsync("sim-02", new CreateVm("op-4", "vm-0003cccc", new VmSpec("gone", 1, 1024, 10, "img", 2, "{}", null)), CancellationToken.None);
        await before.ExecuteAsync("sim-02", new DeleteVm("op-5", "vm-0003cccc"), CancellationToken.None);

        var after = Driver(_path);

        var vms = await after.ListVmsAsync("sim-01", CancellationToken.None);
        Assert.Equal(["vm-0001aaaa", "vm-0002bbbb"], vms.Select(v => v.Name));
        Assert.Equal(["running", "shut off"], vms.Select(v => v.State));
        Assert.Equal(2, vms[0].Cpu);
        Assert.Empty(await after.ListVmsAsync("sim-02", CancellationToken.None));
    }

    [Fact]
    public async Task WithoutAStateFile_ARestartedDriverStartsEmpty()
    {
        await Driver(null).ExecuteAsync("sim-01", new CreateVm("op-1", "vm-0001aaaa", new VmSpec("x", 1, 1024, 10, "img", 2, "{}", null)), CancellationToken.None);

        Assert.Empty(await Driver(null).ListVmsAsync("sim-01", CancellationToken.None));
    }

    public void Dispose()
    {
        var directory = Path.GetDirectoryName(_path)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static SimulatedDriver Driver(string? path) => new(
        Options.Create(new HostAgentOptions { Simulated = new SimulatedFleetOptions { StatePath = path, Latency = TimeSpan.Zero } }),
        new SimulatedFaults(), TimeProvider.System, NullLogger<SimulatedDriver>.Instance);
}
