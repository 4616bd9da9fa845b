using OrleansCloud.Common;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class TaskSagaClusterTests(ClusterFixture fixture)
{
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task Create_OnHealthyHosts_SucceedsAndCommitsQuotaAndCapacity()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");

        var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("web", cpu: 2, ramMb: 2048)));
        var final = await Final(_grains, taskId);

        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        Assert.Equal(TaskState.Succeeded, final.State);
        var vm = (await _grains.GetGrain<IVmGrain>(final.Result!.VmId!).Get(tenantId)).Value!;
        Assert.Equal(VmState.Running, vm.State);
        Assert.Equal(final.Result.Host, vm.Host);
        Assert.NotEmpty(vm.Addresses);
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(new ResourceAmount(2, 2048, 10, 1), quota.Used);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
        Assert.Contains(vm.VmId, await _grains.GetGrain<ITenantGrain>(tenantId).ListResources("vm"));
        var host = (await _grains.GetGrain<IHostGrain>(vm.Host!).Get()).Value!;
        Assert.True(host.Allocated.Vcpus >= 2);
        Assert.Equal([StepType.Validating, StepType.Executing, StepType.Finalizing], final.Steps.Select(s => s.Type));
        Assert.All(final.Steps, s => Assert.Equal(StepStatus.Finished, s.Status));
    }

    [Fact]
    public async Task Delete_AfterCreate_GivesQuotaAndCapacityBack()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var createId = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(createId).Submit(Create(tenantId, Vm("db", cpu: 3)));
        var created = await Final(_grains, createId);
        var vmId = created.Result!.VmId!;
        var hostBefore = (await _grains.GetGrain<IHostGrain>(created.Result.Host!).Get()).Value!;

        var deleteId = NewId("tsk");
        var submitted = await _grains.GetGrain<ITaskGrain>(deleteId).Submit(Delete(tenantId, vmId));
        var deleted = await Final(_grains, deleteId);

        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        Assert.Equal(TaskState.Succeeded, deleted.State);
        Assert.Equal(VmState.Deleted, (await _grains.GetGrain<IVmGrain>(vmId).Get(tenantId)).Value!.State);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used);
        Assert.DoesNotContain(vmId, await _grains.GetGrain<ITenantGrain>(tenantId).ListResources("vm"));
        var hostAfter = (await _grains.GetGrain<IHostGrain>(created.Result.Host!).Get()).Value!;
        Assert.Equal(hostBefore.Allocated - new ResourceAmount(3, 1024, 10, 1), hostAfter.Allocated);
    }

    [Fact]
    public async Task Delete_OfAnotherTenantsVm_IsNotFound()
    {
        var owner = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var intruder = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var createId = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(createId).Submit(Create(owner, Vm("mine")));
        var vmId = (await Final(_grains, createId)).Result!.VmId!;

        var attempt = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Delete(intruder, vmId));

        Assert.Equal(ErrorCodes.NotFound, attempt.Error?.Code);
        Assert.Equal(VmState.Running, (await _grains.GetGrain<IVmGrain>(vmId).Get(owner)).Value!.State);
        Assert.False((await _grains.GetGrain<IVmGrain>(vmId).Get(intruder)).IsSuccess);
    }

    [Fact]
    public async Task Create_WhenQuotaExceeded_ReturnsQuotaExceededAndReservesNothing()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(2, 16384, 200, 10));

        var result = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Create(tenantId, Vm("big", cpu: 4)));

        Assert.Equal(ErrorCodes.QuotaExceeded, result.Error?.Code);
        var quota = (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!;
        Assert.Equal(ResourceAmount.Zero, quota.Used);
        Assert.Equal(ResourceAmount.Zero, quota.Held);
    }

    [Fact]
    public async Task Create_WhenNoHostFits_ReturnsNoCapacityAndReleasesTheHold()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(64, 1024 * 1024, 5000, 10));

        var result = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Create(tenantId, Vm("huge", cpu: 32)));

        Assert.Equal(ErrorCodes.NoCapacity, result.Error?.Code);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Held);
    }

    [Fact]
    public async Task Submit_SameTaskIdTwice_AnswersTheSameTask_AndADifferentBodyConflicts()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");
        var request = Create(tenantId, Vm("same"));

        var first = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        var again = await _grains.GetGrain<ITaskGrain>(taskId).Submit(request);
        var different = await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("other")));
        await Final(_grains, taskId);

        Assert.Equal(first.Value!.TaskId, again.Value!.TaskId);
        Assert.Equal(ErrorCodes.Conflict, different.Error?.Code);
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>(tenantId).GetQuota()).Value!.Used.Vms);
    }

    [Fact]
    public async Task Create_WithTheNameOfAnExistingVm_Conflicts()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var firstId = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(firstId).Submit(Create(tenantId, Vm("dup")));
        await Final(_grains, firstId);

        var second = await _grains.GetGrain<ITaskGrain>(NewId("tsk")).Submit(Create(tenantId, Vm("dup")));

        Assert.Equal(ErrorCodes.Conflict, second.Error?.Code);
    }

    [Fact]
    public async Task Get_ByAnotherTenant_IsNotFound()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(8, 16384, 200, 10));
        var taskId = NewId("tsk");
        await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Vm("private")));

        var peek = await _grains.GetGrain<ITaskGrain>(taskId).Get("someone-else");

        Assert.Equal(ErrorCodes.NotFound, peek.Error?.Code);
    }

    [Fact]
    public async Task PlaceHold_AfterTheTtl_IsReleasedByTheClock()
    {
        var tenant = _grains.GetGrain<ITenantGrain>(await NewTenant(_grains, new ResourceAmount(4, 8192, 100, 2)));
        var hold = await tenant.PlaceHold(new HoldRequest("task-a", new ResourceAmount(4, 1024, 10, 1), TimeSpan.FromMinutes(5), "vm", "a"));
        Assert.True(hold.IsSuccess);
        Assert.Equal(ErrorCodes.QuotaExceeded,
            (await tenant.PlaceHold(new HoldRequest("task-b", new ResourceAmount(1, 1024, 10, 1), TimeSpan.FromMinutes(5), "vm", "b"))).Error?.Code);

        fixture.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(ResourceAmount.Zero, (await tenant.GetQuota()).Value!.Held);
        Assert.True((await tenant.PlaceHold(new HoldRequest("task-b", new ResourceAmount(4, 1024, 10, 1), TimeSpan.FromMinutes(5), "vm", "a"))).IsSuccess);
    }
}
