using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Actions.NetworkCreate;
using OrleansCloud.Actions.VmAttachInterface;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// Interfaces when hosts fail: a vm.create or vm.attachInterface whose host operation fails for good
/// rolls back with every address given back, and a migrated VM's networks follow it to the target.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InterfaceFailureTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const string Area = "default";

    private readonly List<(string TenantId, string VmId)> _made = [];
    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();
    private readonly SimulatedDriver _driver = fixture.SiloServices.GetRequiredService<SimulatedDriver>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _faults.Clear();
        foreach (var (tenantId, vmId) in _made)
        {
            var vm = await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId);
            if (vm.IsSuccess && vm.Value.State != VmState.Deleted)
            {
                await Run(Delete(tenantId, vmId));
            }
        }
    }

    [Fact]
    public async Task ACreateThatFailsOnItsHost_RollsBack_AndGivesEveryAddressBack()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var lan = await Network(tenantId, "lan");
        var san = await Network(tenantId, "san");
        foreach (var host in (await UpHosts()))
        {
            _faults.FailNext<CreateVm>(host, 1, retryable: false);
        }

        var created = await Run(new TaskRequest(tenantId, VmCreatePayload.Action, "tester", null,
            new VmCreatePayload(Requests.Vm("doomed"), ["lan", "san"]), $"create-doomed:{tenantId}"));

        Assert.Equal(TaskState.RolledBack, created.State);
        Assert.Equal(0, (await NetworkView(lan, tenantId)).Interfaces);
        Assert.Equal(0, (await NetworkView(san, tenantId)).Interfaces);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
        _faults.Clear();

        // The addresses it had are handed out again, to the next VM.
        var next = await Run(new TaskRequest(tenantId, VmCreatePayload.Action, "tester", null,
            new VmCreatePayload(Requests.Vm("next"), ["lan"]), $"create-next:{tenantId}"));
        Assert.Equal(TaskState.Succeeded, next.State);
        _made.Add((tenantId, next.Result!.VmId!));
        Assert.Equal(1, (await NetworkView(lan, tenantId)).Interfaces);
    }

    [Fact]
    public async Task AnAttachThatFailsOnTheHost_RollsBack_TheVmKeepsItsInterfaces_AndTheAddressGoesBack()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var lan = await Network(tenantId, "lan");
        var extra = await Network(tenantId, "extra");
        var vm = await VmOn(tenantId, "attach-fail", "lan");
        _faults.FailNext<AttachInterface>(vm.Host!, 1, retryable: false);

        var attach = await Run(new TaskRequest(tenantId, VmAttachInterfacePayload.Action, "tester", new TaskTarget("vm", vm.VmId),
            new VmAttachInterfacePayload("extra"), $"attach:{vm.VmId}"));

        Assert.Equal(TaskState.RolledBack, attach.State);
        var after = (await _grains.GetGrain<IVmGrain>(vm.VmId).Get(tenantId)).Value!;
        Assert.Equal(["lan"], after.Spec.Interfaces!.Select(i => i.Network));
        Assert.Equal(VmState.Running, after.State);
        Assert.Equal(0, (await NetworkView(extra, tenantId)).Interfaces);
        Assert.Equal(1, (await NetworkView(lan, tenantId)).Interfaces);
        Assert.False(_driver.Networks(vm.Host!).ContainsKey(extra));
    }

    [Fact]
    public async Task AMigratedVm_TakesItsNetworksToTheTarget_AndTheSourceDropsThem_KeepingItsAddress()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var lan = await Network(tenantId, "lan");
        var vm = await VmOn(tenantId, "mover", "lan");
        var address = vm.Spec.Interfaces!.Single().Address;

        var migrated = await Run(Migrate(tenantId, vm.VmId));

        Assert.Equal(TaskState.Succeeded, migrated.State);
        var moved = (await _grains.GetGrain<IVmGrain>(vm.VmId).Get(tenantId)).Value!;
        Assert.NotEqual(vm.Host, moved.Host);
        Assert.True(_driver.Networks(moved.Host!).ContainsKey(lan));
        Assert.False(_driver.Networks(vm.Host!).ContainsKey(lan));
        Assert.Equal(address, moved.Spec.Interfaces!.Single().Address);
        Assert.Equal([address], moved.Addresses);
    }

    private async Task<VmView> VmOn(string tenantId, string name, string network)
    {
        var created = await Run(new TaskRequest(tenantId, VmCreatePayload.Action, "tester", null,
            new VmCreatePayload(Requests.Vm(name), [network]), $"create:{tenantId}:{name}"));
        Assert.Equal(TaskState.Succeeded, created.State);
        _made.Add((tenantId, created.Result!.VmId!));
        return (await _grains.GetGrain<IVmGrain>(created.Result.VmId!).Get(tenantId)).Value!;
    }

    private async Task<string> Network(string tenantId, string name)
    {
        var created = await Run(new TaskRequest(tenantId, NetworkCreatePayload.Action, "tester", null,
            new NetworkCreatePayload(name, Area, null, null, null), $"network:{tenantId}:{name}"));
        Assert.Equal(TaskState.Succeeded, created.State);
        return created.Result!.Resources[ResourceKinds.Network];
    }

    private async Task<NetworkView> NetworkView(string networkId, string tenantId) =>
        (await _grains.GetGrain<INetworkGrain>(networkId).Get(tenantId)).Value!;

    private async Task<IReadOnlyList<string>> UpHosts() =>
        [.. (await _grains.GetGrain<OrleansCloud.Hosts.IPlacementGrain>(OrleansCloud.Hosts.PlacementKeys.Global).ListHosts()).Select(h => h.HostName)];

    private async Task<TaskView> Run(TaskRequest request)
    {
        var taskId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        return await Final(_grains, taskId);
    }
}
