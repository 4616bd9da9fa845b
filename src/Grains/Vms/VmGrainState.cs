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

    /// <summary>
    /// Legacy: "taskId/trigger" of every transition ever applied, as VMs stored it before
    /// <see cref="RecentApplied"/>. Still consulted; emptied by the next transition.
    /// </summary>
    [Id(10)] public HashSet<string> LegacyApplied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What the tenant asked for: running until a delete is accepted. Observed state converges to it.</summary>
    [Id(11)] public VmState Desired { get; set; } = VmState.Running;

    /// <summary>The task changing the VM (power, size, host), if any: one at a time, and no delete meanwhile.</summary>
    [Id(12)] public string? BusyTaskId { get; set; }

    /// <summary>The trigger that ends the busy task's change.</summary>
    [Id(13)] public VmTrigger? PendingChange { get; set; }

    /// <summary>
    /// "taskId/trigger" of the latest transitions applied, oldest first, at most <see cref="MaxApplied"/>:
    /// a saga replaying a step after a crash is answered, not refused. Only a task that has not ended
    /// replays, and changes to a VM run one task at a time (<see cref="BusyTaskId"/>), so the tasks
    /// that can still replay are among the latest few.
    /// </summary>
    [Id(14)] public List<string> RecentApplied { get; set; } = [];

    public const int MaxApplied = 16;

    public bool WasApplied(string taskId, VmTrigger trigger)
    {
        var key = AppliedKey(taskId, trigger);
        return RecentApplied.Contains(key) || LegacyApplied.Contains(key);
    }

    /// <summary>Remembers a transition; moves what a legacy record says of the tasks that may still replay.</summary>
    public void RecordApplied(string taskId, VmTrigger trigger)
    {
        if (LegacyApplied.Count > 0)
        {
            var live = new[] { taskId, LastTaskId, BusyTaskId }.OfType<string>().Select(t => t + "/").ToList();
            RecentApplied.AddRange(LegacyApplied.Where(k => live.Any(t => k.StartsWith(t, StringComparison.Ordinal))).Order(StringComparer.Ordinal));
            LegacyApplied = new HashSet<string>(StringComparer.Ordinal);
        }

        RecentApplied.Add(AppliedKey(taskId, trigger));
        if (RecentApplied.Count > MaxApplied)
        {
            RecentApplied.RemoveRange(0, RecentApplied.Count - MaxApplied);
        }
    }

    private static string AppliedKey(string taskId, VmTrigger trigger) => $"{taskId}/{trigger}";
}
