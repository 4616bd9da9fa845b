using OrleansCloud.Common;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Placement;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Placement;

/// <summary>Two control-plane silos; the first also runs the host agent for the simulated hosts.</summary>
public sealed class TwoSiloClusterFixture : ClusterFixture
{
    protected override int SiloCount => 2;
}

/// <summary>
/// A tenant's grains live together on one silo: the saga's many calls to its tenant, index and VM stay
/// inside that silo, instead of half of them crossing to the other.
/// </summary>
public sealed class TenantColocationTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    private readonly IClusterClient _grains = fixture.Client;

    private async Task<SiloAddress> SiloOf(IAddressable grain) =>
        await _grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
        ?? throw new InvalidOperationException($"{grain} has no activation.");

    /// <summary>A new tenant whose grains belong on <paramref name="home"/> (any silo when null).</summary>
    private async Task<string> NewTenantOn(SiloAddress? home)
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        string tenantId;
        do
        {
            tenantId = NewId("t");
        }
        while (home is not null && TenantPlacementDirector.SiloOf(tenantId, silos) != home);

        var created = await _grains.GetGrain<ITenantGrain>(tenantId).Create("Test tenant", new ResourceAmount(8, 16384, 200, 10));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return tenantId;
    }

    private async Task<(string Task, string Vm)> CreateVm(string tenantId, bool markTenant)
    {
        var taskId = NewId("tsk");
        var task = _grains.GetGrain<ITaskGrain>(taskId);
        Result<TaskView> submitted;
        if (markTenant)
        {
            using (TenantAffinity.For(tenantId))
            {
                submitted = await task.Submit(Create(tenantId, Vm("web")));
            }
        }
        else
        {
            submitted = await task.Submit(Create(tenantId, Vm("web")));
        }

        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        var final = await Final(_grains, taskId);
        Assert.Equal(TaskState.Succeeded, final.State);
        return (taskId, final.Result!.VmId!);
    }

    [Fact]
    public async Task ASagaSubmittedForATenant_RunsOnThatTenantsSilo_BesideItsTenantIndexAndVm()
    {
        foreach (var home in fixture.Cluster.Silos.Select(s => s.SiloAddress))
        {
            for (var i = 0; i < 3; i++)
            {
                var tenant = await NewTenantOn(home);
                var (task, vm) = await CreateVm(tenant, markTenant: true);

                Assert.Equal(home, await SiloOf(_grains.GetGrain<ITenantGrain>(tenant)));
                Assert.Equal(home, await SiloOf(_grains.GetGrain<ITenantIndexGrain>(tenant)));
                Assert.Equal(home, await SiloOf(_grains.GetGrain<ITaskGrain>(task)));
                Assert.Equal(home, await SiloOf(_grains.GetGrain<IVmGrain>(vm)));
            }
        }
    }

    [Fact]
    public async Task ASagaSubmittedWithoutATenantMark_StillSucceeds_AndItsVmIsMadeBesideIt()
    {
        var tenant = await NewTenantOn(null);
        var (task, vm) = await CreateVm(tenant, markTenant: false);

        Assert.Equal(await SiloOf(_grains.GetGrain<ITaskGrain>(task)), await SiloOf(_grains.GetGrain<IVmGrain>(vm)));
        var quota = (await _grains.GetGrain<ITenantGrain>(tenant).GetQuota()).Value!;
        Assert.Equal(new ResourceAmount(1, 1024, 10, 1), quota.Used);
    }
}
