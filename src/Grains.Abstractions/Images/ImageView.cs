namespace OrleansCloud.Images;

[GenerateSerializer, Immutable, Alias("oc.ImageView")]
public sealed record ImageView(
    [property: Id(0)] string ImageId,
    [property: Id(1)] ImageSpec Spec,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] long Version);
