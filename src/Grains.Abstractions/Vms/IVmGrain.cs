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

    /// <summary>The VM as seen by <paramref name="tenantScope"/> (null: an administrator). Another tenant gets not found.</summary>
    [ReadOnly, Alias("Get")]
    Task<Result<VmView>> Get(string? tenantScope);
}
