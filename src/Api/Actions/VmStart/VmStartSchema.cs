using OrleansCloud.Actions.VmStart;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Actions.VmStart;

public sealed class VmStartSchema : NoDataSchema
{
    public override string Name => VmStartPayload.Action;

    public override string Permission => Permissions.VmEdit;

    protected override TaskPayload Payload { get; } = new VmStartPayload();
}
