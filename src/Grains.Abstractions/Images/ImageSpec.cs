namespace OrleansCloud.Images;

/// <summary>
/// An image of the catalogue: what it is (<see cref="Os"/>, <see cref="Format"/>), the size a VM made
/// from it gets when the request does not say, the smallest disk it fits on, and the file in a
/// storage pool its disks are cloned from.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.ImageSpec")]
public sealed record ImageSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Os,
    [property: Id(2)] string Format,
    [property: Id(3)] int Cpu,
    [property: Id(4)] long RamMb,
    [property: Id(5)] long DiskGb,
    [property: Id(6)] long MinDiskGb,
    [property: Id(7)] string Pool,
    [property: Id(8)] string File);
