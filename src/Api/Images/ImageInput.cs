using OrleansCloud.Images;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Images;

/// <summary>Validates image requests into grain calls, every problem by field. Pure: unit tested without a cluster.</summary>
public static class ImageInput
{
    public const int MaxOsLength = 100;
    public const string DefaultFormat = "qcow2";
    public const string DefaultPool = "default";
    public const string DefaultOs = "linux";

    /// <summary>The platform's VM size, for an image that gives none (the same as vm.create's historical defaults).</summary>
    public static readonly ImageDefaultsDto DefaultSize = new(1, 1024, 20);

    public static Result<(string ImageId, ImageSpec Spec)> ToSpec(CreateImageRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!VmLimits.IsValidImageId(request.ImageId))
        {
            errors["imageId"] = ["is required: 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        var change = ToChange(new ChangeImageRequest(request.Name, request.Os, request.Format, request.Defaults, request.MinDiskGb, request.Pool, request.File), errors);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var format = change.Format ?? DefaultFormat;
        var spec = new ImageSpec(
            change.Name ?? request.ImageId!,
            change.Os ?? DefaultOs,
            format,
            change.Cpu ?? DefaultSize.Cpu,
            change.RamMb ?? DefaultSize.RamMb,
            change.DiskGb ?? DefaultSize.DiskGb,
            change.MinDiskGb ?? VmLimits.MinDiskGb,
            change.Pool ?? DefaultPool,
            change.File ?? $"{request.ImageId}.{format}");
        var structural = ImageRules.Check(spec);
        return structural.Count > 0 ? Error.Validation(structural) : (request.ImageId!, spec);
    }

    public static Result<ImageChange> ToChange(ChangeImageRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var change = ToChange(request, errors);
        return errors.Count > 0 ? Error.Validation(errors) : change;
    }

    private static ImageChange ToChange(ChangeImageRequest request, Dictionary<string, string[]> errors)
    {
        if (request.Name is not null && !TextRules.IsDisplayText(request.Name, TextRules.MaxDisplayNameLength))
        {
            errors["name"] = [TextRules.Rule(TextRules.MaxDisplayNameLength)];
        }

        if (request.Os is not null && !TextRules.IsDisplayText(request.Os, MaxOsLength))
        {
            errors["os"] = [TextRules.Rule(MaxOsLength)];
        }

        if (request.Format is not null && !ImageRules.Formats.Contains(request.Format))
        {
            errors["format"] = [$"must be one of: {string.Join(", ", ImageRules.Formats)}"];
        }

        if (request.Pool is not null && !ImageRules.IsFileName(request.Pool))
        {
            errors["pool"] = ["must be 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        if (request.File is not null && !ImageRules.IsFileName(request.File))
        {
            errors["file"] = ["must be a file name in the pool: 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        return new ImageChange(
            request.Name, request.Os, request.Format, request.Defaults?.Cpu, request.Defaults?.RamMb, request.Defaults?.DiskGb,
            request.MinDiskGb, request.Pool, request.File);
    }
}
