using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Actions.VmDelete;
using OrleansCloud.Actions.VmEdit;
using OrleansCloud.Actions.VmMigrate;
using OrleansCloud.Actions.VmReboot;
using OrleansCloud.Actions.VmStart;
using OrleansCloud.Actions.VmStop;
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
        new(tenantId, VmCreatePayload.Action, "tester", null, new VmCreatePayload(spec), $"create:{tenantId}:{spec}");

    public static TaskRequest Delete(string tenantId, string vmId) =>
        new(tenantId, VmDeletePayload.Action, "tester", new TaskTarget("vm", vmId), new VmDeletePayload(), $"delete:{tenantId}:{vmId}");

    public static TaskRequest Stop(string tenantId, string vmId) =>
        new(tenantId, VmStopPayload.Action, "tester", new TaskTarget("vm", vmId), new VmStopPayload(), $"stop:{tenantId}:{vmId}");

    public static TaskRequest Start(string tenantId, string vmId) =>
        new(tenantId, VmStartPayload.Action, "tester", new TaskTarget("vm", vmId), new VmStartPayload(), $"start:{tenantId}:{vmId}");

    public static TaskRequest Reboot(string tenantId, string vmId, bool force = false) =>
        new(tenantId, VmRebootPayload.Action, "tester", new TaskTarget("vm", vmId), new VmRebootPayload(force), $"reboot:{tenantId}:{vmId}:{force}");

    public static TaskRequest Edit(string tenantId, string vmId, int? cpu = null, long? ramMb = null, long? diskGb = null) =>
        new(tenantId, VmEditPayload.Action, "tester", new TaskTarget("vm", vmId), new VmEditPayload(cpu, ramMb, diskGb), $"edit:{tenantId}:{vmId}:{cpu}:{ramMb}:{diskGb}");

    public static TaskRequest Migrate(string tenantId, string vmId, string? host = null) =>
        new(tenantId, VmMigratePayload.Action, "tester", new TaskTarget("vm", vmId), new VmMigratePayload(host), $"migrate:{tenantId}:{vmId}:{host}");

    public static Task<TaskView> Final(IGrainFactory grains, string taskId) =>
        Eventually.Value(
            async () => (await grains.GetGrain<ITaskGrain>(taskId).Get(null)).Value!,
            t => t.IsFinal,
            $"task {taskId} to end");
}
