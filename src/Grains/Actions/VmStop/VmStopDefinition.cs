using OrleansCloud.Actions.VmStop;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmStop;

/// <summary>vm.stop: a running VM shuts down (or powers off at once with force) and stays defined.</summary>
public sealed class VmStopDefinition : VmChangeDefinition<VmStopPayload>
{
    public override string Name => VmStopPayload.Action;

    protected override VmTrigger Change => VmTrigger.Stopped;

    protected override HostOperation Operation(string operationId, string vmId, VmStopPayload payload) => new StopVm(operationId, vmId, payload.Force);
}
