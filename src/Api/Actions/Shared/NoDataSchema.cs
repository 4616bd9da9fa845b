using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.Shared;

/// <summary>The schema of an action on a resource (a VM unless overridden) that takes no data (vm.delete, vm.start, network.delete).</summary>
public abstract class NoDataSchema : ITaskActionSchema
{
    private static readonly HashSet<string> Known = [];

    public abstract string Name { get; }

    public abstract string Permission { get; }

    public virtual string? TargetKind => ResourceKinds.Vm;

    protected abstract TaskPayload Payload { get; }

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data) => DataReader.Of(data, Name, Known).Result(() => Payload);

    public OpenApiSchema DataSchema() => DataSchemas.None(Name);
}
