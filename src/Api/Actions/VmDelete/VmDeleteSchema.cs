using OrleansCloud.Actions.VmDelete;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.VmDelete;

public sealed class VmDeleteSchema : NoDataSchema
{
    public override string Name => VmDeletePayload.Action;

    public override string Permission => Permissions.VmDelete;

    protected override TaskPayload Payload { get; } = new VmDeletePayload();
}
