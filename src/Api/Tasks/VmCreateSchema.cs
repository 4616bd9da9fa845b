using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Tasks;

/// <summary>
/// Validates the <c>data</c> of a vm.create and enriches it with the platform's defaults. Pure:
/// no I/O, so every rule is unit tested.
/// </summary>
public static class VmCreateSchema
{
    public const int DefaultCpu = 1;
    public const long DefaultRamMb = 1024;
    public const long DefaultDiskGb = 20;
    public const string DefaultImage = "debian-12-genericcloud";
    public const int DefaultGeneration = 2;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "name", "cpu", "ram", "disk", "imageId", "generation", "cloudInit", "area", "network",
    };

    public static Result<VmSpec> Parse(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } body)
        {
            return Error.Validation("data", "vm.create needs a data object");
        }

        var errors = new Dictionary<string, string[]>();
        foreach (var property in body.EnumerateObject().Where(p => !Known.Contains(p.Name)))
        {
            errors[$"data.{property.Name}"] = ["is not a field of vm.create"];
        }

        var name = ReadString(body, "name", errors, required: true);
        var cpu = ReadInt(body, "cpu", errors) ?? DefaultCpu;
        var ramMb = ReadSize(body, "ram", errors) ?? DefaultRamMb;
        var diskMb = ReadSize(body, "disk", errors);
        var diskGb = diskMb is { } mb ? (long)Math.Ceiling(mb / 1024m) : DefaultDiskGb;
        var imageId = ReadString(body, "imageId", errors) ?? DefaultImage;
        var generation = ReadInt(body, "generation", errors) ?? DefaultGeneration;
        var area = ReadString(body, "area", errors);
        var network = ReadString(body, "network", errors);
        var cloudInit = ReadCloudInit(body, errors);

        var spec = new VmSpec(name ?? "", cpu, ramMb, diskGb, imageId, generation, "{}", area, network);
        if (errors.Count == 0)
        {
            foreach (var (field, messages) in VmLimits.Check(spec))
            {
                errors[field] = messages;
            }
        }

        if (area is not null && !Names.IsValid(area))
        {
            errors["data.area"] = ["must be an area id"];
        }

        if (network is not null && !Names.IsValid(network))
        {
            errors["data.network"] = ["must be a network name"];
        }

        return errors.Count > 0
            ? Error.Validation(errors)
            : spec with { CloudInitJson = EnrichCloudInit(cloudInit, spec.Name) };
    }

    /// <summary>Defaults an absent cloud-init to an "ops" user, and always gives the VM its hostname.</summary>
    public static string EnrichCloudInit(JsonObject? given, string hostname)
    {
        var cloudInit = given ?? new JsonObject { ["users"] = new JsonArray(new JsonObject { ["name"] = "ops" }) };
        cloudInit.TryAdd("hostname", hostname);
        return cloudInit.ToJsonString();
    }

    private static string? ReadString(JsonElement body, string field, Dictionary<string, string[]> errors, bool required = false)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[$"data.{field}"] = ["is required"];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[$"data.{field}"] = ["must be a string"];
            return null;
        }

        return value.GetString();
    }

    private static int? ReadInt(JsonElement body, string field, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            errors[$"data.{field}"] = ["must be a whole number"];
            return null;
        }

        return number;
    }

    private static long? ReadSize(JsonElement body, string field, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var mb = SizeParser.ToMegabytes(value);
        if (mb is null)
        {
            errors[$"data.{field}"] = ["must be a number of MB or a size with a unit such as \"512MB\" or \"2GB\""];
        }

        return mb;
    }

    private static JsonObject? ReadCloudInit(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("cloudInit", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["data.cloudInit"] = ["must be an object"];
            return null;
        }

        if (value.GetRawText().Length > 64 * 1024)
        {
            errors["data.cloudInit"] = ["must be at most 64 KiB"];
            return null;
        }

        return JsonNode.Parse(value.GetRawText())!.AsObject();
    }
}
