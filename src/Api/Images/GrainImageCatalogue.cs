using OrleansCloud.Images;

namespace OrleansCloud.Api.Images;

public sealed class GrainImageCatalogue(IGrainFactory grains) : IImageCatalogue
{
    public async Task<ImageView?> Find(string imageId)
    {
        var image = await grains.Ref<IImageGrain>(imageId).Get();
        return image.IsSuccess ? image.Value : null;
    }
}
