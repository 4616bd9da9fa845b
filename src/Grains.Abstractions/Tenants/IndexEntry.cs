namespace OrleansCloud.Tenants;

/// <summary>
/// One item of a tenant's task and job lists. <see cref="Cleared"/> takes a job off the job list;
/// <see cref="Withdrawn"/> hides an entry whose task was abandoned before it was accepted (entries
/// are never removed, so page tokens keep their place).
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.IndexEntry")]
public sealed record IndexEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] IndexedKind Kind,
    [property: Id(2)] bool Cleared = false,
    [property: Id(3)] bool Withdrawn = false)
{
    public bool OnTaskList => Kind == IndexedKind.Task && !Withdrawn;

    public bool OnJobList => !Cleared && !Withdrawn;
}
