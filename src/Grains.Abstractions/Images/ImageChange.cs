namespace OrleansCloud.Images;

/// <summary>A partial change of an image: null fields stay as they are.</summary>
[GenerateSerializer, Immutable, Alias("oc.ImageChange")]
public sealed record ImageChange(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Os = null,
    [property: Id(2)] string? Format = null,
    [property: Id(3)] int? Cpu = null,
    [property: Id(4)] long? RamMb = null,
    [property: Id(5)] long? DiskGb = null,
    [property: Id(6)] long? MinDiskGb = null,
    [property: Id(7)] string? Pool = null,
    [property: Id(8)] string? File = null)
{
    public ImageSpec ApplyTo(ImageSpec spec) => new(
        Name ?? spec.Name, Os ?? spec.Os, Format ?? spec.Format, Cpu ?? spec.Cpu, RamMb ?? spec.RamMb,
        DiskGb ?? spec.DiskGb, MinDiskGb ?? spec.MinDiskGb, Pool ?? spec.Pool, File ?? spec.File);
}
