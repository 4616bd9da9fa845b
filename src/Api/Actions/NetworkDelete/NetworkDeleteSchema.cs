using OrleansCloud.Actions.NetworkDelete;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.NetworkDelete;

public sealed class NetworkDeleteSchema : NoDataSchema
{
    public override string Name => NetworkDeletePayload.Action;

    public override string Permission => Permissions.NetworkDelete;

    public override string? TargetKind => ResourceKinds.Network;

    protected override TaskPayload Payload { get; } = new NetworkDeletePayload();
}
