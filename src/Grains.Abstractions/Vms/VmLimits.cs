namespace OrleansCloud.Vms;

/// <summary>The bounds a VM spec must respect, shared by the API's validation and the grains' own check.</summary>
public static class VmLimits
{
    public const int MinCpu = 1;
    public const int MaxCpu = 64;
    public const long MinRamMb = 128;
    public const long MaxRamMb = 1024 * 1024;
    public const long MinDiskGb = 1;
    public const long MaxDiskGb = 16 * 1024;
    public const int MaxNameLength = 63;

    /// <summary>Names are DNS labels: lower-case letters, digits and inner hyphens, so they are safe on any hypervisor's command line.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Image ids name files in an image store: a restricted alphabet keeps them out of harm's way on a command line.</summary>
    public static bool IsValidImageId(string? imageId) =>
        !string.IsNullOrEmpty(imageId)
        && imageId.Length <= 200
        && char.IsAsciiLetterOrDigit(imageId[0])
        && imageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>Every violation of the bounds, by field; empty when the spec is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Check(VmSpec spec)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsValidName(spec.Name))
        {
            errors["data.name"] = [$"must be 1-{MaxNameLength} lower-case letters, digits or inner hyphens"];
        }

        if (spec.Cpu is < MinCpu or > MaxCpu)
        {
            errors["data.cpu"] = [$"must be between {MinCpu} and {MaxCpu}"];
        }

        if (spec.RamMb is < MinRamMb or > MaxRamMb)
        {
            errors["data.ram"] = [$"must be between {MinRamMb}MB and {MaxRamMb}MB"];
        }

        if (spec.DiskGb is < MinDiskGb or > MaxDiskGb)
        {
            errors["data.disk"] = [$"must be between {MinDiskGb}GB and {MaxDiskGb}GB"];
        }

        if (spec.Generation is not (1 or 2))
        {
            errors["data.generation"] = ["must be 1 or 2"];
        }

        if (!IsValidImageId(spec.ImageId))
        {
            errors["data.imageId"] = ["must be 1-200 letters, digits, '.', '-' or '_', starting with a letter or digit"];
        }

        return errors;
    }
}
