using OrleansCloud.Common;
using OrleansCloud.Images;

namespace OrleansCloud.Silo;

/// <summary>
/// Seeds the all-in-one's catalogue, which lives in memory, with the images the README's session and
/// vm.create's default name, so the product can be tried at once. Their files follow the libvirt driver's
/// <c>&lt;imageId&gt;.qcow2</c> convention; a production cluster gets its images from an administrator.
/// Runs after the silo has started (registered after it) and before the API serves.
/// </summary>
public sealed class AllInOneImages(IGrainFactory grains) : IHostedService
{
    public static readonly IReadOnlyList<(string ImageId, ImageSpec Spec)> Seed =
    [
        ("Rocky-10-GenericCloud-Base.latest",
            new ImageSpec("Rocky Linux 10 GenericCloud", "Rocky Linux 10", "qcow2", 1, 1024, 20, 10, "default", "Rocky-10-GenericCloud-Base.latest.qcow2")),
        ("debian-12-genericcloud",
            new ImageSpec("Debian 12 GenericCloud", "Debian 12", "qcow2", 1, 1024, 20, 3, "default", "debian-12-genericcloud.qcow2")),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (imageId, spec) in Seed)
        {
            var created = await grains.Ref<IImageGrain>(imageId).Create(spec);
            if (!created.IsSuccess && created.Error.Code != ErrorCodes.Conflict)
            {
                throw new InvalidOperationException($"Seeding the image '{imageId}' failed: {created.Error.Message}");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
