using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.Shared;

/// <summary>The schema of a power action on a VM whose only field is <c>force</c> (vm.stop, vm.reboot).</summary>
public abstract class ForceSchema : ITaskActionSchema
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "force" };

    public abstract string Name { get; }

    public string Permission => Permissions.VmEdit;

    public string? TargetKind => ResourceKinds.Vm;

    protected abstract string ForceMeans { get; }

    protected abstract TaskPayload Payload(bool force);

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data)
    {
        var read = DataReader.Of(data, Name, Known);
        var force = read.Bool("force") ?? false;
        return read.Result(() => Payload(force));
    }

    public OpenApiSchema DataSchema() => DataSchemas.Object($"Optional for {Name}.", ("force", DataSchemas.Boolean(ForceMeans), false));
}
