using OrleansCloud.Common;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>Small builders for the cluster tests: fresh keys every call, so tests never share state.</summary>
public static class Requests
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<string> NewTenant(IGrainFactory grains, ResourceAmount quota)
    {
        var tenantId = NewId("t");
        var created = await grains.GetGrain<ITenantGrain>(tenantId).Create("Test tenant", quota);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return tenantId;
    }

    public static VmSpec Vm(string name, int cpu = 1, long ramMb = 1024, long diskGb = 10) =>
        new(name, cpu, ramMb, diskGb, "debian-12-genericcloud", 2, "{}", null);

    public static TaskRequest Create(string tenantId, VmSpec spec) =>
        new(tenantId, TaskAction.VmCreate, "tester", null, spec, $"create:{tenantId}:{spec}");

    public static TaskRequest Delete(string tenantId, string vmId) =>
        new(tenantId, TaskAction.VmDelete, "tester", new TaskTarget("vm", vmId), null, $"delete:{tenantId}:{vmId}");

    public static TaskRequest Stop(string tenantId, string vmId) =>
        new(tenantId, TaskAction.VmStop, "tester", new TaskTarget("vm", vmId), null, $"stop:{tenantId}:{vmId}");

    public static TaskRequest Start(string tenantId, string vmId) =>
        new(tenantId, TaskAction.VmStart, "tester", new TaskTarget("vm", vmId), null, $"start:{tenantId}:{vmId}");

    public static Task<TaskView> Final(IGrainFactory grains, string taskId) =>
        Eventually.Value(
            async () => (await grains.GetGrain<ITaskGrain>(taskId).Get(null)).Value!,
            t => t.IsFinal,
            $"task {taskId} to end");
}
