using System.Collections.Concurrent;
using OrleansCloud.Images;

namespace OrleansCloud.Api.Images;

/// <summary>
/// The catalogue read from the image grains. An image found is reused for <see cref="Reuse"/>: every
/// vm.create names one, nearly always one of a few, and asking its grain each time was one of the three
/// cluster calls a submission made. This API's own changes to an image (create, change, delete) forget it
/// at once, and a read that raced such a change is not kept; a change made through another API process
/// or a grain client is seen within <see cref="Reuse"/>. An image not found is never remembered.
/// </summary>
public sealed class GrainImageCatalogue(IGrainFactory grains, TimeProvider time) : IImageCatalogue
{
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (ImageView Image, long Until)> _recent = new(StringComparer.Ordinal);
    private long _changes;

    public async Task<ImageView?> Find(string imageId)
    {
        var now = time.GetTimestamp();
        if (_recent.TryGetValue(imageId, out var recent) && now < recent.Until)
        {
            return recent.Image;
        }

        var changesBefore = Interlocked.Read(ref _changes);
        var image = await grains.Ref<IImageGrain>(imageId).Get();
        if (!image.IsSuccess)
        {
            _recent.TryRemove(imageId, out _);
            return null;
        }

        _recent[imageId] = (image.Value!, now + (long)(Reuse.TotalSeconds * time.TimestampFrequency));

        // A change through this API while the grain was read: what was read may be from before it.
        if (Interlocked.Read(ref _changes) != changesBefore)
        {
            _recent.TryRemove(imageId, out _);
        }

        return image.Value;
    }

    /// <summary>An image is being created, changed or deleted through this API: read it afresh from now on.</summary>
    public void Forget(string imageId)
    {
        Interlocked.Increment(ref _changes);
        _recent.TryRemove(imageId, out _);
    }
}
