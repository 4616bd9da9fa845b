using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tenants;

/// <summary>One chunk of a tenant's index: at most <see cref="Capacity"/> entries, oldest first. Pure.</summary>
[GenerateSerializer, Alias("oc.TenantIndexChunkState")]
public sealed class TenantIndexChunkState
{
    /// <summary>
    /// Entries per chunk: a full chunk is about 3 KB, and a page of the API's largest size (100)
    /// reads at most three chunks.
    /// </summary>
    public const int Capacity = 64;

    [Id(0)] public List<IndexEntry> Entries { get; set; } = [];

    /// <summary>What to do with <paramref name="entry"/>; true in the second value when the chunk changed.</summary>
    public (IndexAppend Outcome, bool Changed) Append(IndexEntry entry, bool onlyFind)
    {
        var at = Entries.FindIndex(e => e.Id == entry.Id);
        if (at >= 0)
        {
            if (!Entries[at].Withdrawn)
            {
                return (IndexAppend.AlreadyThere, false);
            }

            Entries[at] = Entries[at] with { Withdrawn = false };
            return (IndexAppend.AlreadyThere, true);
        }

        if (onlyFind)
        {
            return (IndexAppend.Absent, false);
        }

        if (Entries.Count >= Capacity)
        {
            return (IndexAppend.Full, false);
        }

        Entries.Add(entry);
        return (IndexAppend.Added, true);
    }

    /// <summary>Marks the entry; the first value says whether the chunk holds it, the second whether it changed.</summary>
    public (bool Found, bool Changed) Mark(string id, bool clear, bool withdraw)
    {
        var at = Entries.FindIndex(e => e.Id == id);
        if (at < 0)
        {
            return (false, false);
        }

        var before = Entries[at];
        var after = before with { Cleared = before.Cleared || clear, Withdrawn = before.Withdrawn || withdraw };
        Entries[at] = after;
        return (true, after != before);
    }
}
