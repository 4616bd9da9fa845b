using OrleansCloud.Common;

namespace OrleansCloud.Networks;

/// <summary>
/// A tenant network (keyed by network id): its record and the only place its addresses are handed
/// out, so no address is ever given twice. Every method taking a tenant scope answers not found to
/// another tenant (null: the platform itself or an administrator).
/// </summary>
[Alias("oc.INetworkGrain")]
public interface INetworkGrain : IGrainWithStringKey
{
    /// <summary>Records the network as creating. Idempotent for the same task.</summary>
    [Alias("Create")]
    Task<Result<NetworkView>> Create(string tenantId, NetworkSpec spec, string taskId);

    /// <summary>Creating to active (the task that created it finished). Idempotent.</summary>
    [Alias("Activate")]
    Task<Result<NetworkView>> Activate(string taskId);

    /// <summary>Gives <paramref name="owner"/> (an interface) an address and a MAC; only on an active network. Idempotent per owner.</summary>
    [Alias("Attach")]
    Task<Result<InterfaceAddress>> Attach(string tenantId, string owner);

    /// <summary>Gives the owner's address back. Idempotent.</summary>
    [Alias("Detach")]
    Task Detach(string owner);

    /// <summary>Active to deleting for one task, refused (ERR_CONFLICT) while any interface is attached. Idempotent per task.</summary>
    [Alias("BeginDelete")]
    Task<Result<NetworkView>> BeginDelete(string tenantId, string taskId);

    /// <summary>Back to active: the delete will not happen. Idempotent.</summary>
    [Alias("AbandonDelete")]
    Task AbandonDelete(string taskId);

    /// <summary>Deleting to deleted, or creating to failed: the end of the network. Idempotent.</summary>
    [Alias("End")]
    Task End(string taskId, bool failed);

    [ReadOnly, Alias("Get")]
    Task<Result<NetworkView>> Get(string? tenantScope);
}
