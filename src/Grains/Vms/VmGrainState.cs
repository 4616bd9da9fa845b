using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Vms;

[GenerateSerializer, Alias("oc.VmGrainState")]
public sealed class VmGrainState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string TenantId { get; set; } = "";
    [Id(2)] public VmSpec? Spec { get; set; }
    [Id(3)] public VmState State { get; set; } = VmState.Pending;
    [Id(4)] public string? Host { get; set; }
    [Id(5)] public List<string> Addresses { get; set; } = [];
    [Id(6)] public string? LastTaskId { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public long Version { get; set; }

    /// <summary>"taskId/trigger" of every transition applied, so a saga replaying a step after a crash is answered, not refused.</summary>
    [Id(10)] public HashSet<string> Applied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What the tenant asked for: running until a delete is accepted. Observed state converges to it.</summary>
    [Id(11)] public VmState Desired { get; set; } = VmState.Running;

    /// <summary>The task changing the VM (power, size, host), if any: one at a time, and no delete meanwhile.</summary>
    [Id(12)] public string? BusyTaskId { get; set; }

    /// <summary>The trigger that ends the busy task's change.</summary>
    [Id(13)] public VmTrigger? PendingChange { get; set; }
}
