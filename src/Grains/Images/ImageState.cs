using OrleansCloud.Images;

namespace OrleansCloud.Grains.Images;

[GenerateSerializer, Alias("oc.ImageState")]
public sealed class ImageState
{
    [Id(0)]
    public ImageSpec? Spec { get; set; }

    [Id(1)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(2)]
    public long Version { get; set; }
}
