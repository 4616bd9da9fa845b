using OrleansCloud.Actions.VmReboot;
using OrleansCloud.Grains.Actions.Shared;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmReboot;

/// <summary>vm.reboot: a running VM restarts, gracefully with a hard reset after a timeout, or at once with force.</summary>
public sealed class VmRebootDefinition : VmChangeDefinition<VmRebootPayload>
{
    public override string Name => VmRebootPayload.Action;

    protected override VmTrigger Change => VmTrigger.Rebooted;

    protected override HostOperation Operation(string operationId, string vmId, VmRebootPayload payload) => new RebootVm(operationId, vmId, payload.Force);
}
