using System.Globalization;
using System.Text.Json;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>
/// Reads the body of <c>POST /hosts/{host}</c> field by field, so every problem names its field. Integers
/// may also come as strings of digits (the staging agent passed them through as text). Fields the contract
/// does not name (<c>console</c> among them) are ignored.
/// </summary>
public static class LocalHostRequest
{
    public const long MaxMemoryMb = 16L * 1024 * 1024;
    public const int MaxDiskGb = 64 * 1024;
    public const int MaxNetworks = 16;
    public const int MaxCmdline = 4096;

    public static DomainDefinition? Read(string name, JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!DomainNames.IsHostName(name))
        {
            errors["host"] = [DomainNames.HostRule];
        }

        var memory = RequiredInteger(body, "memory", 1, MaxMemoryMb, errors);

        var disks = new List<int>();
        if (Array(body, "disks", 1, Drivers.Libvirt.StagingDomainXml.MaxDisks, errors) is { } diskItems)
        {
            for (var i = 0; i < diskItems.Count; i++)
            {
                if (Integer(diskItems[i], $"disks[{i}]", 1, MaxDiskGb, errors) is { } size)
                {
                    disks.Add((int)size);
                }
            }
        }

        var networks = new List<string>();
        if (Array(body, "networks", 0, MaxNetworks, errors) is { } networkItems)
        {
            for (var i = 0; i < networkItems.Count; i++)
            {
                var network = networkItems[i].ValueKind == JsonValueKind.String ? networkItems[i].GetString() : null;
                if (DomainNames.IsNetworkName(network))
                {
                    networks.Add(network!);
                }
                else
                {
                    errors[$"networks[{i}]"] = [DomainNames.NetworkRule];
                }
            }
        }

        var install = Install(body, errors);
        return errors.Count == 0 ? new DomainDefinition(name, memory!.Value, disks, networks, install) : null;
    }

    /// <summary>A network install when <c>install</c> is true, or absent with a <c>location</c>; <c>install: false</c> ignores location and cmdline.</summary>
    private static NetworkInstall? Install(JsonElement body, Dictionary<string, string[]> errors)
    {
        bool? install = body.TryGetProperty("install", out var flag) ? flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => Fail<bool?>(errors, "install", "must be true or false"),
        } : null;
        var location = OptionalString(body, "location", errors);
        var cmdline = OptionalString(body, "cmdline", errors);
        if (install == false || (install is null && location is null))
        {
            return null;
        }

        Uri? uri = null;
        if (location is null)
        {
            errors["location"] = ["is required for an install"];
        }
        else if (!Uri.TryCreate(location, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["location"] = ["must be an http or https URL of an install tree"];
        }

        if (cmdline is not null && (cmdline.Length > MaxCmdline || cmdline.Any(char.IsControl)))
        {
            errors["cmdline"] = [$"must be at most {MaxCmdline} characters without control characters"];
        }

        return errors.ContainsKey("location") || errors.ContainsKey("cmdline") ? null : new NetworkInstall(uri!, cmdline);
    }

    public static long? RequiredInteger(JsonElement body, string field, long min, long max, Dictionary<string, string[]> errors) =>
        body.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? Integer(value, field, min, max, errors)
            : Fail<long?>(errors, field, "is required");

    private static long? Integer(JsonElement value, string field, long min, long max, Dictionary<string, string[]> errors)
    {
        long number = 0;
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out number),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
        return parsed && number >= min && number <= max ? number : Fail<long?>(errors, field, $"must be an integer from {min} to {max}");
    }

    private static List<JsonElement>? Array(JsonElement body, string field, int min, int max, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Fail<List<JsonElement>>(errors, field, "is required");
        }

        return value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is var count && count >= min && count <= max
            ? [.. value.EnumerateArray()]
            : Fail<List<JsonElement>>(errors, field, $"must be an array of {min} to {max} items");
    }

    private static string? OptionalString(JsonElement body, string field, Dictionary<string, string[]> errors) =>
        !body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString() : Fail<string>(errors, field, "must be a string");

    private static T? Fail<T>(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return default;
    }
}
