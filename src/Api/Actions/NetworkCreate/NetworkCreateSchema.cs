using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Actions.NetworkCreate;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Api.Images;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.NetworkCreate;

/// <summary>network.create: a name and an area; the VLAN, the subnet and the gateway are allocated when left out.</summary>
public sealed class NetworkCreateSchema : ITaskActionSchema
{
    private const string CidrPattern = @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/\d{1,2}$";
    private const string AddressPattern = @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "name", "area", "vlan", "subnet", "gateway" };

    public string Name => NetworkCreatePayload.Action;

    public string Permission => Permissions.NetworkAdd;

    public string? TargetKind => null;

    public Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images) => Task.FromResult(Parse(data));

    public Result<TaskPayload> Parse(JsonElement? data)
    {
        var read = DataReader.Of(data, Name, Known);
        var name = read.String("name", required: true);
        var area = read.String("area", required: true);
        var vlan = read.Int("vlan", NetworkRules.MinVlan, NetworkRules.MaxVlan);
        var subnet = read.String("subnet");
        var gateway = read.String("gateway");
        foreach (var (field, problems) in NetworkRules.Check(name, area, vlan, subnet, gateway))
        {
            read.Errors.TryAdd(field, problems);
        }

        return read.Result(() => new NetworkCreatePayload(name!, area!, vlan, subnet, gateway));
    }

    public OpenApiSchema DataSchema() => DataSchemas.Object(
        "A tenant network in an area: a VLAN from the area's range and a subnet from its pool unless given.",
        ("name", DataSchemas.String("Unique in the tenant.", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", 63), true),
        ("area", DataSchemas.String("The area (failover domain) the network lives in.", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", 63), true),
        ("vlan", DataSchemas.Integer("The VLAN; allocated from the area's range when omitted.", NetworkRules.MinVlan, NetworkRules.MaxVlan), false),
        ("subnet", DataSchemas.String("IPv4 CIDR (/8 to /30); a /24 from the area's subnet pool when omitted.", CidrPattern, 18), false),
        ("gateway", DataSchemas.String("The gateway address; the subnet's first host address when omitted.", AddressPattern, 15), false));
}
