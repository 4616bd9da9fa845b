using OrleansCloud.Actions.VmStart;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmStart;

/// <summary>vm.start: a stopped VM runs again on its host.</summary>
public sealed class VmStartDefinition : VmChangeDefinition<VmStartPayload>
{
    public override string Name => VmStartPayload.Action;

    protected override VmTrigger Change => VmTrigger.Started;

    protected override HostOperation Operation(string operationId, string vmId, VmStartPayload payload) => new StartVm(operationId, vmId);
}
