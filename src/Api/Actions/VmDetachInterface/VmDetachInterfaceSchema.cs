using OrleansCloud.Actions.VmDetachInterface;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.VmDetachInterface;

public sealed class VmDetachInterfaceSchema : InterfaceSchema
{
    public override string Name => VmDetachInterfacePayload.Action;

    protected override string NetworkMeans => "The tenant network whose interface the VM loses; its address goes back to the network.";

    protected override TaskPayload Payload(string network) => new VmDetachInterfacePayload(network);
}
