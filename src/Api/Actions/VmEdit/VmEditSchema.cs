using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Actions.VmEdit;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;
using OrleansCloud.Users;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Actions.VmEdit;

/// <summary>vm.edit: any of cpu, ram, disk. The VM must be stopped; the disk only grows.</summary>
public sealed class VmEditSchema : ITaskActionSchema
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "cpu", "ram", "disk" };

    public string Name => VmEditPayload.Action;

    public string Permission => Permissions.VmEdit;

    public string? TargetKind => ResourceKinds.Vm;

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data)
    {
        var read = DataReader.Of(data, Name, Known);
        var cpu = read.Int("cpu", VmLimits.MinCpu, VmLimits.MaxCpu);
        var ramMb = read.SizeMb("ram");
        var diskGb = read.SizeGb("disk");
        if (ramMb is < VmLimits.MinRamMb or > VmLimits.MaxRamMb)
        {
            read.Errors["data.ram"] = [$"must be between {VmLimits.MinRamMb}MB and {VmLimits.MaxRamMb}MB"];
        }

        if (diskGb is < VmLimits.MinDiskGb or > VmLimits.MaxDiskGb)
        {
            read.Errors["data.disk"] = [$"must be between {VmLimits.MinDiskGb}GB and {VmLimits.MaxDiskGb}GB"];
        }

        if (read.Errors.Count == 0 && cpu is null && ramMb is null && diskGb is null)
        {
            read.Errors["data"] = ["vm.edit needs at least one of cpu, ram, disk"];
        }

        return read.Result(() => new VmEditPayload(cpu, ramMb, diskGb));
    }

    public OpenApiSchema DataSchema()
    {
        var schema = DataSchemas.Object(
            "The new size of a stopped VM; at least one field. The disk only grows.",
            ("cpu", DataSchemas.Integer("Virtual CPUs.", VmLimits.MinCpu, VmLimits.MaxCpu), false),
            ("ram", DataSchemas.Size("Memory.", VmLimits.MinRamMb, VmLimits.MaxRamMb), false),
            ("disk", DataSchemas.Size("The system disk; at least its current size.", VmLimits.MinDiskGb * 1024, VmLimits.MaxDiskGb * 1024), false));
        schema.MinProperties = 1;
        return schema;
    }
}
