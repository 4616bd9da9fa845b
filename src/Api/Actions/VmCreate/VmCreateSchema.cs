using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using OrleansCloud.Actions.VmCreate;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Api.Images;
using OrleansCloud.Images;
using OrleansCloud.Tasks;
using OrleansCloud.Users;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Actions.VmCreate;

/// <summary>
/// Validates the <c>data</c> of a vm.create and enriches it: the image must be in the catalogue, and
/// what the request leaves out (cpu, ram, disk) comes from the image's defaults; a disk below the
/// image's minimum is refused. <see cref="ParseSpec"/> is pure, so every rule is unit tested.
/// </summary>
public sealed class VmCreateSchema : ITaskActionSchema
{
    public const string DefaultImage = "debian-12-genericcloud";
    public const int DefaultGeneration = 2;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "name", "cpu", "ram", "disk", "imageId", "generation", "cloudInit", "area", "network", "networks",
    };

    public string Name => VmCreatePayload.Action;

    public string Permission => Permissions.VmAdd;

    public string? TargetKind => null;

    public async Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images)
    {
        var imageId = ImageIdOf(data);
        var image = imageId is not null && VmLimits.IsValidImageId(imageId) ? await images.Find(imageId) : null;
        var spec = ParseSpec(data, image);
        if (!spec.IsSuccess)
        {
            return spec.Error;
        }

        var networks = ParseNetworks(data);
        // The disk is cloned from the image's file and asks for the image's pool (the host may grant another).
        var enriched = spec.Value with { Pool = image!.Spec.Pool, ImageFile = image.Spec.File };
        return networks.IsSuccess ? new VmCreatePayload(enriched, networks.Value.Count > 0 ? networks.Value : null) : networks.Error;
    }

    /// <summary>The tenant networks the VM's interfaces join, in order: <c>network</c> (one name) or <c>networks</c> (names).</summary>
    public static Result<IReadOnlyList<string>> ParseNetworks(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } body)
        {
            return Array.Empty<string>();
        }

        var hasOne = body.TryGetProperty("network", out var one) && one.ValueKind != JsonValueKind.Null;
        var hasMany = body.TryGetProperty("networks", out var many) && many.ValueKind != JsonValueKind.Null;
        if (hasOne && hasMany)
        {
            return Error.Validation("data.networks", "give either network or networks, not both");
        }

        if (hasOne)
        {
            return one.ValueKind == JsonValueKind.String && VmLimits.IsValidName(one.GetString())
                ? new[] { one.GetString()! }
                : Error.Validation("data.network", "must be a network name");
        }

        if (!hasMany)
        {
            return Array.Empty<string>();
        }

        if (many.ValueKind != JsonValueKind.Array || many.GetArrayLength() is 0 or > VmCreatePayload.MaxInterfaces)
        {
            return Error.Validation("data.networks", $"must be a list of 1 to {VmCreatePayload.MaxInterfaces} network names");
        }

        var names = new List<string>();
        var errors = new Dictionary<string, string[]>();
        var index = 0;
        foreach (var item in many.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !VmLimits.IsValidName(item.GetString()))
            {
                errors[$"data.networks[{index}]"] = ["must be a network name"];
            }
            else if (names.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                errors[$"data.networks[{index}]"] = ["names a network already listed: a VM has one interface per network"];
            }
            else
            {
                names.Add(item.GetString()!);
            }

            index++;
        }

        return errors.Count > 0 ? Error.Validation(errors) : names;
    }

    /// <summary>The image the request names, or the default image when it names none.</summary>
    public static string? ImageIdOf(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("imageId", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return DefaultImage;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>The spec of <paramref name="data"/> with <paramref name="image"/> (null: the catalogue has no such image).</summary>
    public static Result<VmSpec> ParseSpec(JsonElement? data, ImageView? image)
    {
        if (data is not { ValueKind: JsonValueKind.Object })
        {
            return Error.Validation("data", "vm.create needs a data object");
        }

        var read = DataReader.Of(data, VmCreatePayload.Action, Known);
        var name = read.String("name", required: true);
        var imageId = read.String("imageId") ?? DefaultImage;
        var known = image is not null && image.ImageId == imageId ? image.Spec : null;
        var cpu = read.Int("cpu", VmLimits.MinCpu, VmLimits.MaxCpu) ?? known?.Cpu ?? VmLimits.MinCpu;
        var ramMb = read.SizeMb("ram") ?? known?.RamMb ?? VmLimits.MinRamMb;
        var diskGb = read.SizeGb("disk") ?? known?.DiskGb ?? VmLimits.MinDiskGb;
        var generation = read.Int("generation", 1, 2) ?? DefaultGeneration;
        var area = read.String("area");
        var cloudInit = ReadCloudInit(read);

        var errors = read.Errors;
        var spec = new VmSpec(name ?? "", cpu, ramMb, diskGb, imageId, generation, "{}", area);
        if (errors.Count == 0)
        {
            foreach (var (field, messages) in VmLimits.Check(spec))
            {
                errors[field] = messages;
            }
        }

        if (known is null)
        {
            errors.TryAdd("data.imageId", [$"must name an image of the catalogue; there is no image '{imageId}'"]);
        }
        else if (diskGb < known.MinDiskGb)
        {
            errors.TryAdd("data.disk", [$"must be at least the image's minimum of {known.MinDiskGb}GB"]);
        }

        if (area is not null && !Names.IsValid(area))
        {
            errors["data.area"] = ["must be an area id"];
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

    private static JsonObject? ReadCloudInit(DataReader read)
    {
        if (read.Raw("cloudInit") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            read.Errors["data.cloudInit"] = ["must be an object"];
            return null;
        }

        if (value.GetRawText().Length > 64 * 1024)
        {
            read.Errors["data.cloudInit"] = ["must be at most 64 KiB"];
            return null;
        }

        return JsonNode.Parse(value.GetRawText())!.AsObject();
    }

    public OpenApiSchema DataSchema() => DataSchemas.Object(
        "The new VM. Every field but name has a default.",
        ("name", DataSchemas.String("A DNS label, unique among the tenant's VMs.", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", VmLimits.MaxNameLength), true),
        ("cpu", DataSchemas.Integer("Virtual CPUs; the image's default when omitted.", VmLimits.MinCpu, VmLimits.MaxCpu), false),
        ("ram", DataSchemas.Size("Memory; the image's default when omitted.", VmLimits.MinRamMb, VmLimits.MaxRamMb), false),
        ("disk", DataSchemas.Size("The system disk; the image's default when omitted, never below the image's minDiskGb.", VmLimits.MinDiskGb * 1024, VmLimits.MaxDiskGb * 1024), false),
        ("imageId", DataSchemas.String("An image of the catalogue (/api/v1/admin/images) the disk is cloned from.", "^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$", 200, DefaultImage), false),
        ("generation", DataSchemas.Integer("1 (BIOS) or 2 (UEFI).", 1, 2, DefaultGeneration), false),
        ("cloudInit", new OpenApiSchema { Type = JsonSchemaType.Object, Description = "cloud-init user data as JSON (at most 64 KiB); defaults to an 'ops' user, and the hostname is the VM's name." }, false),
        ("area", DataSchemas.String("The area (failover domain) to place the VM in; any when omitted."), false),
        ("network", DataSchemas.String("The tenant network (by name) the VM's one interface joins; the VM lands in the network's area and gets an address and a MAC on it. Omitted (with networks): the host's default network.", InterfaceSchema.NetworkPattern, VmLimits.MaxNameLength), false),
        ("networks", DataSchemas.StringArray($"The tenant networks (by name, at most {VmCreatePayload.MaxInterfaces}, all in one area) the VM's interfaces join, first interface first; instead of network.", InterfaceSchema.NetworkPattern, VmCreatePayload.MaxInterfaces), false));
}
