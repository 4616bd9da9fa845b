using OrleansCloud.Images;

namespace OrleansCloud.Api.Images;

/// <summary>The image catalogue as the task schemas read it: vm.create takes its image's defaults.</summary>
public interface IImageCatalogue
{
    /// <summary>The image, or null when the catalogue has none of that id.</summary>
    Task<ImageView?> Find(string imageId);

    /// <summary>The image is being created, changed or deleted through this API: what was read of it is read afresh.</summary>
    void Forget(string imageId);
}
