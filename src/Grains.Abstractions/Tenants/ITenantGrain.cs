using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

/// <summary>
/// A tenant: profile, quota limits, committed usage and quota holds. Every quota decision is made
/// here, one call at a time, so usage plus live holds never exceeds the limits.
/// </summary>
[Alias("oc.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; <see cref="ErrorCodes.Conflict"/> when it exists already.</summary>
    [Alias("Create")]
    Task<Result<TenantView>> Create(string name, ResourceAmount quota);

    [ReadOnly, Alias("Get")]
    Task<Result<TenantView>> Get();

    /// <summary>Changes the limits. Lowering them below current usage is allowed: it only blocks new holds.</summary>
    [Alias("SetQuota")]
    Task<Result<TenantView>> SetQuota(ResourceAmount limits, long? expectedVersion);

    [ReadOnly, Alias("GetQuota")]
    Task<Result<QuotaView>> GetQuota();

    /// <summary>
    /// Reserves <see cref="HoldRequest.Amount"/> for a task (and, when given, a resource name in
    /// the tenant). Idempotent per task id. Fails with <see cref="ErrorCodes.QuotaExceeded"/> or
    /// <see cref="ErrorCodes.Conflict"/> and then reserves nothing.
    /// </summary>
    [Alias("PlaceHold")]
    Task<Result<QuotaHold>> PlaceHold(HoldRequest request);

    /// <summary>
    /// Turns the task's hold into committed usage of <paramref name="resourceId"/>. Idempotent. If the
    /// hold expired meanwhile the amount is reserved again, and refused when it no longer fits.
    /// </summary>
    [Alias("CommitHold")]
    Task<Result> CommitHold(string taskId, string resourceId);

    /// <summary>
    /// Gives the committed <paramref name="resourceId"/> its new size, consuming the task's hold on the
    /// growth; a shrink gives quota back. Idempotent per task.
    /// </summary>
    [Alias("CommitChange")]
    Task<Result> CommitChange(string taskId, string resourceId, ResourceAmount newAmount);

    /// <summary>Drops the task's hold, if any. Idempotent.</summary>
    [Alias("ReleaseHold")]
    Task ReleaseHold(string taskId);

    /// <summary>Gives back what <paramref name="resourceId"/> used and frees its name. Idempotent.</summary>
    [Alias("ReleaseUsage")]
    Task ReleaseUsage(string resourceId);

    /// <summary>
    /// The task and job lists of a tenant stored before they moved to its index grains, oldest first
    /// (empty once dropped): what <see cref="ITenantIndexGrain"/> imports when it first activates.
    /// </summary>
    [ReadOnly, Alias("LegacyIndex")]
    Task<IReadOnlyList<IndexEntry>> LegacyIndex();

    /// <summary>Forgets the lists <see cref="LegacyIndex"/> answered, once the index holds them. Idempotent.</summary>
    [Alias("DropLegacyIndex")]
    Task DropLegacyIndex();

    /// <summary>The ids of the tenant's committed resources of one kind (e.g. "vm").</summary>
    [ReadOnly, Alias("ListResources")]
    Task<IReadOnlyList<string>> ListResources(string kind);

    /// <summary>The id of the committed resource of <paramref name="kind"/> named <paramref name="name"/>, or null.</summary>
    [ReadOnly, Alias("FindResource")]
    Task<string?> FindResource(string kind, string name);
}
