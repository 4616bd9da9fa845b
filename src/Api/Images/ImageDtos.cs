using OrleansCloud.Images;

namespace OrleansCloud.Api.Images;

/// <summary>The size a VM made from an image gets when vm.create does not say.</summary>
public sealed record ImageDefaultsDto(int Cpu, long RamMb, long DiskGb);

public sealed record ImageDto(
    string ImageId, string Name, string Os, string Format, ImageDefaultsDto Defaults, long MinDiskGb, string Pool, string File,
    DateTimeOffset CreatedAt, long Version)
{
    public static ImageDto From(ImageView view)
    {
        var spec = view.Spec;
        return new ImageDto(
            view.ImageId, spec.Name, spec.Os, spec.Format, new ImageDefaultsDto(spec.Cpu, spec.RamMb, spec.DiskGb), spec.MinDiskGb,
            spec.Pool, spec.File, view.CreatedAt, view.Version);
    }
}

public sealed record ImageDefaultsRequest(int? Cpu, long? RamMb, long? DiskGb);

/// <summary>A new image. Only <c>imageId</c> is required: the rest take the documented defaults.</summary>
public sealed record CreateImageRequest(
    string? ImageId, string? Name, string? Os, string? Format, ImageDefaultsRequest? Defaults, long? MinDiskGb, string? Pool, string? File);

/// <summary>A change of an image: absent fields stay as they are.</summary>
public sealed record ChangeImageRequest(
    string? Name, string? Os, string? Format, ImageDefaultsRequest? Defaults, long? MinDiskGb, string? Pool, string? File);
