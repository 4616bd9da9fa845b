using OrleansCloud.Vms;

namespace OrleansCloud.Images;

/// <summary>The rules of an image, shared by the API's validation and the grain's own check of a merged change.</summary>
public static class ImageRules
{
    public static readonly IReadOnlyList<string> Formats = ["qcow2", "raw", "vhdx"];

    public const int MaxFileNameLength = 200;

    /// <summary>Pool and file names reach hypervisor command lines: the image id alphabet, no path separators, no leading dot.</summary>
    public static bool IsFileName(string? name) => VmLimits.IsValidImageId(name);

    /// <summary>Every structural violation by field (the API's names: <c>format</c>, <c>defaults.cpu</c>, ...); empty when valid.</summary>
    public static Dictionary<string, string[]> Check(ImageSpec spec)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Formats.Contains(spec.Format))
        {
            errors["format"] = [$"must be one of: {string.Join(", ", Formats)}"];
        }

        if (spec.Cpu is < VmLimits.MinCpu or > VmLimits.MaxCpu)
        {
            errors["defaults.cpu"] = [$"must be between {VmLimits.MinCpu} and {VmLimits.MaxCpu}"];
        }

        if (spec.RamMb is < VmLimits.MinRamMb or > VmLimits.MaxRamMb)
        {
            errors["defaults.ramMb"] = [$"must be between {VmLimits.MinRamMb} and {VmLimits.MaxRamMb}"];
        }

        if (spec.DiskGb is < VmLimits.MinDiskGb or > VmLimits.MaxDiskGb)
        {
            errors["defaults.diskGb"] = [$"must be between {VmLimits.MinDiskGb} and {VmLimits.MaxDiskGb}"];
        }

        if (spec.MinDiskGb < VmLimits.MinDiskGb || spec.MinDiskGb > spec.DiskGb)
        {
            errors["minDiskGb"] = [$"must be between {VmLimits.MinDiskGb} and the default disk ({spec.DiskGb})"];
        }

        if (!IsFileName(spec.Pool))
        {
            errors["pool"] = ["must be 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        if (!IsFileName(spec.File))
        {
            errors["file"] = ["must be a file name in the pool: 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        return errors;
    }
}
