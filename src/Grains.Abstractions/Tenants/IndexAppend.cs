namespace OrleansCloud.Tenants;

/// <summary>What a chunk of a tenant's index did with an entry it was offered.</summary>
[GenerateSerializer, Alias("oc.IndexAppend")]
public enum IndexAppend
{
    /// <summary>Appended as the chunk's newest entry.</summary>
    Added = 0,

    /// <summary>The chunk holds it already (shown again if it had been withdrawn).</summary>
    AlreadyThere = 1,

    /// <summary>Not there and no room left: the next chunk takes it.</summary>
    Full = 2,

    /// <summary>Not there, and the caller only asked to find it.</summary>
    Absent = 3,
}
