namespace OrleansCloud.Hosts;

/// <summary>
/// A storage pool as a host agent reports it: its name on the host, the directory it lives in, and its
/// size and free space in whole GB (free space as the hypervisor sees it, which counts what is written,
/// not what thin disks may still grow to).
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.StoragePoolInfo")]
public sealed record StoragePoolInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] long SizeGb,
    [property: Id(3)] long FreeGb);
