namespace OrleansCloud.Grains.Tasks;

/// <summary>What moves a task's saga; see <see cref="TaskSaga"/>.</summary>
public enum TaskTrigger
{
    /// <summary>Quota held and capacity claimed (or the target checked).</summary>
    Reserve,

    /// <summary>Refused before anything was reserved: quota, capacity, state.</summary>
    Reject,

    /// <summary>The host work starts.</summary>
    Dispatch,

    /// <summary>The host work and the settlement are done.</summary>
    Complete,

    /// <summary>A failure that needs undoing.</summary>
    Fail,

    /// <summary>A failure with nothing to undo.</summary>
    Abort,

    DeadlineExceeded,
    Compensated,
    CompensationFailed,
}
