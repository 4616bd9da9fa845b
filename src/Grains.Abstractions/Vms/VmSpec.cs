namespace OrleansCloud.Vms;

/// <summary>
/// The desired shape of a VM after enrichment: every field has its final value. <see cref="Interfaces"/>
/// are its places on tenant networks (addresses handed out by the networks, first interface first).
/// <see cref="Network"/> names a host network a VM with no interfaces joins (null: the host's default).
/// <see cref="Pool"/> is the storage pool the disk goes on (the image's pool at enrichment, then the pool
/// the host granted), <see cref="ImageFile"/> the image's file its disk is cloned from (looked for in that pool).
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.VmSpec")]
public sealed record VmSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int Cpu,
    [property: Id(2)] long RamMb,
    [property: Id(3)] long DiskGb,
    [property: Id(4)] string ImageId,
    [property: Id(5)] int Generation,
    [property: Id(6)] string CloudInitJson,
    [property: Id(7)] string? Area,
    [property: Id(8)] string? Network = null,
    [property: Id(9)] IReadOnlyList<VmInterface>? Interfaces = null,
    [property: Id(10)] string? Pool = null,
    [property: Id(11)] string? ImageFile = null);
