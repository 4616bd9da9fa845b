using System.ComponentModel;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Hosts;

/// <summary>One storage pool of a host: what its agent reports, and what this control plane has placed on it.</summary>
[Description("A storage pool the host's agent reports (its default pool first), and the disk space claimed or allocated on it by this control plane.")]
public sealed record HostStoragePoolDto(
    [property: Description("The pool's name on the host.")] string Name,
    [property: Description("The directory the pool lives in.")] string Path,
    [property: Description("The pool's size in GB.")] long SizeGb,
    [property: Description("Free space in GB as the host reports it.")] long FreeGb,
    [property: Description("GB of the disks claimed or allocated on the pool, counted at their full size.")] long CommittedGb,
    [property: Description("GB a new disk may still take: freeGb minus committedGb.")] long RoomGb)
{
    public static HostStoragePoolDto From(StoragePoolRoom p) =>
        new(p.Pool.Name, p.Pool.Path, p.Pool.SizeGb, p.Pool.FreeGb, p.CommittedGb, p.RoomGb);
}
