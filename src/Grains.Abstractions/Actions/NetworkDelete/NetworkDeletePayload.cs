using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.NetworkDelete;

/// <summary>network.delete takes no data: the target names the network.</summary>
[GenerateSerializer, Immutable, Alias("oc.NetworkDeletePayload")]
public sealed record NetworkDeletePayload : TaskPayload
{
    public const string Action = "network.delete";
}
