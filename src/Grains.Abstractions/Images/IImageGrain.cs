using OrleansCloud.Common;

namespace OrleansCloud.Images;

/// <summary>One image of the catalogue, keyed by its image id (the <c>imageId</c> of vm.create).</summary>
[Alias("oc.IImageGrain")]
public interface IImageGrain : IGrainWithStringKey
{
    /// <summary>Adds the image; <see cref="ErrorCodes.Conflict"/> when it exists.</summary>
    [Alias("Create")]
    Task<Result<ImageView>> Create(ImageSpec spec);

    [ReadOnly, Alias("Get")]
    Task<Result<ImageView>> Get();

    /// <summary>Changes the given fields; the result must still be a valid image.</summary>
    [Alias("Change")]
    Task<Result<ImageView>> Change(ImageChange change);

    /// <summary>Removes the image from the catalogue. VMs made from it keep their disks: each was cloned already.</summary>
    [Alias("Delete")]
    Task<Result> Delete();
}
