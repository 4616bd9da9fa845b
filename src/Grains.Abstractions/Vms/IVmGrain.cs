using OrleansCloud.Common;

namespace OrleansCloud.Vms;

/// <summary>A VM: desired spec, observed state (an explicit lifecycle table), host and addresses.</summary>
[Alias("oc.IVmGrain")]
public interface IVmGrain : IGrainWithStringKey
{
    /// <summary>Creates the VM record in <see cref="VmState.Pending"/>. Idempotent for the same task id.</summary>
    [Alias("Initialize")]
    Task<Result<VmView>> Initialize(string tenantId, VmSpec spec, string taskId);

    /// <summary>Applies a trigger; an illegal one answers <see cref="ErrorCodes.InvalidStateTransition"/>.</summary>
    [Alias("Apply")]
    Task<Result<VmView>> Apply(VmTrigger trigger, VmUpdate update);

    /// <summary>
    /// Reserves the VM for a power change (<see cref="VmTrigger.Started"/> or <see cref="VmTrigger.Stopped"/>)
    /// by one task: legal from the VM's state, and only while no other task holds it. Idempotent per task.
    /// </summary>
    [Alias("BeginPowerChange")]
    Task<Result<VmView>> BeginPowerChange(string taskId, VmTrigger change);

    /// <summary>Lets go of a power change that will not happen (the task rolled back). Idempotent.</summary>
    [Alias("AbandonPowerChange")]
    Task AbandonPowerChange(string taskId);

    /// <summary>The VM as seen by <paramref name="tenantScope"/> (null: an administrator). Another tenant gets not found.</summary>
    [ReadOnly, Alias("Get")]
    Task<Result<VmView>> Get(string? tenantScope);
}
