namespace OrleansCloud.Tasks;

/// <summary>
/// The saga's state. <see cref="Succeeded"/>, <see cref="Failed"/>, <see cref="RolledBack"/> and
/// <see cref="Cancelled"/> are final.
/// </summary>
public enum TaskState
{
    /// <summary>Persisted, quota and capacity not reserved yet.</summary>
    Pending = 0,

    /// <summary>Quota held and capacity claimed; waiting for the host work.</summary>
    Accepted = 1,

    /// <summary>Host work in progress (with retries).</summary>
    Running = 2,

    /// <summary>Undoing what was done after a failure or the deadline.</summary>
    Compensating = 3,

    Succeeded = 4,
    Failed = 5,
    RolledBack = 6,
    Cancelled = 7,
}
