namespace OrleansCloud.Hosts;

/// <summary>
/// A host's storage pool in the placement view: what the agent reported, and the GB this control plane
/// has claimed or allocated on it. <see cref="RoomGb"/> is what a new disk may still take: thin disks
/// count at their full size, so a pool is never promised more than it has, even once every disk is full.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.StoragePoolRoom")]
public sealed record StoragePoolRoom(
    [property: Id(0)] StoragePoolInfo Pool,
    [property: Id(1)] long CommittedGb)
{
    public long RoomGb => Pool.FreeGb - CommittedGb;
}
