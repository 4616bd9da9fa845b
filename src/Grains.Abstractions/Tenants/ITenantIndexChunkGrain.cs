namespace OrleansCloud.Tenants;

/// <summary>
/// One chunk of a tenant's index (key: "{tenant}/{n}"): at most a fixed number of entries, oldest
/// first, so each write is small and bounded however long the tenant's history is.
/// </summary>
[Alias("oc.ITenantIndexChunkGrain")]
public interface ITenantIndexChunkGrain : IGrainWithStringKey
{
    /// <summary>Appends <paramref name="entry"/> unless present; with <paramref name="onlyFind"/>, never appends.</summary>
    [Alias("Append")]
    Task<IndexAppend> Append(IndexEntry entry, bool onlyFind);

    /// <summary>Marks the entry cleared or withdrawn; false when the chunk does not hold it.</summary>
    [Alias("Mark")]
    Task<bool> Mark(string id, bool clear, bool withdraw);

    [ReadOnly, Alias("Read")]
    Task<IReadOnlyList<IndexEntry>> Read();

    /// <summary>Replaces the chunk's entries (a migration of a tenant stored before the index). Idempotent.</summary>
    [Alias("Import")]
    Task Import(IReadOnlyList<IndexEntry> entries);
}
