using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;
using OrleansCloud.Users;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Actions.Shared;

/// <summary>The schema of an interface action on a VM whose only field is the tenant network's name (vm.attachInterface, vm.detachInterface).</summary>
public abstract class InterfaceSchema : ITaskActionSchema
{
    public const string NetworkPattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "network" };

    public abstract string Name { get; }

    public string Permission => Permissions.VmEdit;

    public string? TargetKind => ResourceKinds.Vm;

    protected abstract string NetworkMeans { get; }

    protected abstract TaskPayload Payload(string network);

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data)
    {
        var read = DataReader.Of(data, Name, Known);
        var network = read.String("network", required: true);
        if (network is not null && !VmLimits.IsValidName(network))
        {
            read.Errors["data.network"] = ["must be a network name"];
        }

        return read.Result(() => Payload(network!));
    }

    public OpenApiSchema DataSchema() => DataSchemas.Object($"The network of {Name}.",
        ("network", DataSchemas.String(NetworkMeans, NetworkPattern, VmLimits.MaxNameLength), true));
}
