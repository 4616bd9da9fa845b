using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>
/// One hypervisor: inventory, last heartbeat, allocations and capacity claims. A claim made here is
/// what makes placement race-free: two tasks can elect the same host, only fitting claims succeed.
/// </summary>
[Alias("oc.IHostGrain")]
public interface IHostGrain : IGrainWithStringKey
{
    [Alias("Heartbeat")]
    Task Heartbeat(HostHeartbeat heartbeat);

    /// <summary>
    /// Claims capacity for a task. Idempotent per claim id. Fails with <see cref="ErrorCodes.NoCapacity"/>
    /// when the host is not up, its heartbeat is stale, it lacks a capability, or the amount does not fit
    /// (in cpu, memory, disk, VM count, or the room of the storage pool the disk would go on). The grant
    /// names that pool.
    /// </summary>
    [Alias("TryClaim")]
    Task<Result<CapacityGrant>> TryClaim(CapacityClaim claim);

    /// <summary>Turns a claim into an allocation held by <paramref name="resourceId"/>. Idempotent.</summary>
    [Alias("ConfirmClaim")]
    Task<Result> ConfirmClaim(string claimId, string resourceId);

    /// <summary>
    /// Gives <paramref name="resourceId"/>'s allocation its new size and drops the claim that reserved
    /// the growth (a resize). Idempotent.
    /// </summary>
    [Alias("Reallocate")]
    Task Reallocate(string claimId, string resourceId, ResourceAmount amount);

    [Alias("ReleaseClaim")]
    Task ReleaseClaim(string claimId);

    [Alias("ReleaseAllocation")]
    Task ReleaseAllocation(string resourceId);

    [Alias("SetState")]
    Task<Result<HostSnapshot>> SetState(HostState state);

    [ReadOnly, Alias("Get")]
    Task<Result<HostSnapshot>> Get();

    /// <summary>The resources (VM ids) holding an allocation on this host, for reconciliation.</summary>
    [ReadOnly, Alias("Allocated")]
    Task<IReadOnlyList<string>> Allocated();
}
