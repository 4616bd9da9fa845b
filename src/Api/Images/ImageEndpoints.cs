using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Images;

namespace OrleansCloud.Api.Images;

/// <summary><c>/admin/images</c>: the image catalogue that vm.create's <c>imageId</c> must name.</summary>
public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImageEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/images").WithTags("Images").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/", CreateImage).WithName("CreateImage")
            .WithSummary("Add an image: only 'imageId' is required; format qcow2, defaults 1 vCPU, 1024 MB, 20 GB, pool 'default', file '<imageId>.<format>'.")
            .Accepts<CreateImageRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ReplaysIdempotentRequests();
        admin.MapGet("/", ListImages).WithName("ListImages");
        admin.MapGet("/{imageId}", GetImage).WithName("GetImage");
        admin.MapPatch("/{imageId}", ChangeImage).WithName("ChangeImage")
            .WithSummary("Change the given fields; VMs made before keep their size.")
            .Accepts<ChangeImageRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPut("/{imageId}", ChangeImage).WithName("ReplaceImage")
            .WithSummary("The same as PATCH: absent fields stay as they are.")
            .Accepts<ChangeImageRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapDelete("/{imageId}", DeleteImage).WithName("DeleteImage")
            .WithSummary("Remove the image from the catalogue; VMs made from it keep their disks.");
        return api;
    }

    public static async Task<Results<Created<ImageDto>, ProblemHttpResult>> CreateImage(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<CreateImageRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var input = ImageInput.ToSpec(body.Value);
        if (!input.IsSuccess)
        {
            return Problems.From(input.Error, http);
        }

        var (imageId, spec) = input.Value;
        var created = await Changing(http, imageId, () => grains.Ref<IImageGrain>(imageId).Create(spec));
        return created.IsSuccess
            ? TypedResults.Created($"/api/v1/admin/images/{imageId}", ImageDto.From(created.Value))
            : Problems.From(created.Error, http);
    }

    public static async Task<Ok<ItemsDto<ImageDto>>> ListImages(IGrainFactory grains)
    {
        var ids = await grains.Ref<IDirectoryGrain>(DirectoryKeys.Images).List();
        var images = await Task.WhenAll(ids.Select(id => grains.Ref<IImageGrain>(id).Get()));
        return TypedResults.Ok(new ItemsDto<ImageDto>([.. images.Where(i => i.IsSuccess).Select(i => ImageDto.From(i.Value!))]));
    }

    public static async Task<Results<Ok<ImageDto>, ProblemHttpResult>> GetImage(string imageId, HttpContext http, IGrainFactory grains)
    {
        var image = await grains.Ref<IImageGrain>(imageId).Get();
        return image.IsSuccess ? TypedResults.Ok(ImageDto.From(image.Value)) : Problems.From(image.Error, http);
    }

    public static async Task<Results<Ok<ImageDto>, ProblemHttpResult>> ChangeImage(
        string imageId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<ChangeImageRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var change = ImageInput.ToChange(body.Value);
        if (!change.IsSuccess)
        {
            return Problems.From(change.Error, http);
        }

        var changed = await Changing(http, imageId, () => grains.Ref<IImageGrain>(imageId).Change(change.Value));
        return changed.IsSuccess ? TypedResults.Ok(ImageDto.From(changed.Value)) : Problems.From(changed.Error, http);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteImage(string imageId, HttpContext http, IGrainFactory grains)
    {
        var deleted = await Changing(http, imageId, () => grains.Ref<IImageGrain>(imageId).Delete());
        return deleted.IsSuccess ? TypedResults.NoContent() : Problems.From(deleted.Error!, http);
    }

    /// <summary>A change of an image, with this API's recent reads of it forgotten before and after (see <see cref="GrainImageCatalogue"/>).</summary>
    private static async Task<T> Changing<T>(HttpContext http, string imageId, Func<Task<T>> change)
    {
        var catalogue = http.RequestServices.GetRequiredService<IImageCatalogue>();
        catalogue.Forget(imageId);
        try
        {
            return await change();
        }
        finally
        {
            catalogue.Forget(imageId);
        }
    }
}
