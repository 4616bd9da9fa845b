using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Actions.VmMigrate;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.VmMigrate;

/// <summary>vm.migrate: optionally the target host (in the VM's area); elected otherwise.</summary>
public sealed class VmMigrateSchema : ITaskActionSchema
{
    private const string HostPattern = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "host" };

    public string Name => VmMigratePayload.Action;

    public string Permission => Permissions.VmEdit;

    public string? TargetKind => ResourceKinds.Vm;

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data)
    {
        var read = DataReader.Of(data, Name, Known);
        var host = read.String("host");
        if (host is not null && !System.Text.RegularExpressions.Regex.IsMatch(host, HostPattern))
        {
            read.Errors["data.host"] = ["must be a host name"];
        }

        return read.Result(() => new VmMigratePayload(host));
    }

    public OpenApiSchema DataSchema() => DataSchemas.Object(
        "A cold migration to another host of the VM's area.",
        ("host", DataSchemas.String("The target host; elected (the current one excluded) when omitted.", HostPattern, 253), false));
}
