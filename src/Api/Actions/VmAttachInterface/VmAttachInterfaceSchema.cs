using OrleansCloud.Actions.VmAttachInterface;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.VmAttachInterface;

public sealed class VmAttachInterfaceSchema : InterfaceSchema
{
    public override string Name => VmAttachInterfacePayload.Action;

    protected override string NetworkMeans => "The tenant network (of the VM's area) the new interface joins; it gets an address and a MAC there.";

    protected override TaskPayload Payload(string network) => new VmAttachInterfacePayload(network);
}
