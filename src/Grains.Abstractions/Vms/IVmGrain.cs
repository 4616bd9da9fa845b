using OrleansCloud.Common;

namespace OrleansCloud.Vms;

/// <summary>A VM: desired spec, observed state (an explicit lifecycle table), host and addresses.</summary>
[Alias("oc.IVmGrain")]
public interface IVmGrain : IGrainWithStringKey
{
    /// <summary>Creates the VM record in <see cref="VmState.Pending"/>. Idempotent for the same task id.</summary>
    [Alias("Initialize")]
    Task<Result<VmView>> Initialize(string tenantId, VmSpec spec, string taskId);

    /// <summary>
    /// Creates the VM record and applies <see cref="VmTrigger.Provision"/> onto <paramref name="host"/>
    /// in one write (what <see cref="Initialize"/> then <see cref="Apply"/> did in two). Idempotent for the same task id.
    /// </summary>
    [Alias("CreateProvisioning")]
    Task<Result<VmView>> CreateProvisioning(string tenantId, VmSpec spec, string taskId, string? host);

    /// <summary>Applies a trigger; an illegal one answers <see cref="ErrorCodes.InvalidStateTransition"/>.</summary>
    [Alias("Apply")]
    Task<Result<VmView>> Apply(VmTrigger trigger, VmUpdate update);

    /// <summary>
    /// Reserves the VM for one change by one task (start, stop, reboot, resize, migrate): legal from
    /// the VM's state by its lifecycle table, and only while no other task holds it, so a second change
    /// or a delete meanwhile is a conflict. Applying <paramref name="change"/> for the same task ends
    /// it. Idempotent per task.
    /// </summary>
    [Alias("BeginChange")]
    Task<Result<VmView>> BeginChange(string taskId, VmTrigger change);

    /// <summary>Lets go of a change that will not happen (the task rolled back). Idempotent.</summary>
    [Alias("AbandonChange")]
    Task AbandonChange(string taskId);

    /// <summary>The VM as seen by <paramref name="tenantScope"/> (null: an administrator). Another tenant gets not found.</summary>
    [ReadOnly, Alias("Get")]
    Task<Result<VmView>> Get(string? tenantScope);
}
