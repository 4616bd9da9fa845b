using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

/// <summary>
/// The head of a tenant's task and job lists (key: the tenant id). The lists live in fixed-size chunk
/// grains (<see cref="ITenantIndexChunkGrain"/>), each entry written once; the head only keeps the
/// number of the chunk being filled, written when a chunk fills up. A writer first asks for
/// <see cref="Tail"/> and keeps it durably, then adds from there: a retried add finds its entry
/// instead of listing it twice.
/// </summary>
[Alias("oc.ITenantIndexGrain")]
public interface ITenantIndexGrain : IGrainWithStringKey
{
    /// <summary>The chunk new entries go to now: where a writer's later add starts looking.</summary>
    [ReadOnly, Alias("Tail")]
    Task<long> Tail();

    /// <summary>
    /// Lists <paramref name="id"/> unless a chunk from <paramref name="fromChunk"/> on holds it already
    /// (then it is shown again if withdrawn). Answers the chunk that holds it. Idempotent.
    /// </summary>
    [Alias("Add")]
    Task<long> Add(string id, IndexedKind kind, long fromChunk);

    /// <summary>Takes a job off the job list (it stays readable by id). Idempotent; false when not listed.</summary>
    [Alias("Clear")]
    Task<bool> Clear(string id, long? chunk);

    /// <summary>Hides the entry of a submission abandoned before it was accepted. Idempotent.</summary>
    [Alias("Withdraw")]
    Task Withdraw(string id, long fromChunk);

    /// <summary>The tenant's tasks, newest first; the token is opaque.</summary>
    [ReadOnly, Alias("ListTasks")]
    Task<Page<string>> ListTasks(string? pageToken, int pageSize);

    /// <summary>The tenant's jobs (tasks and external ones), newest first, cleared ones left out.</summary>
    [ReadOnly, Alias("ListJobs")]
    Task<Page<string>> ListJobs(string? pageToken, int pageSize);
}
