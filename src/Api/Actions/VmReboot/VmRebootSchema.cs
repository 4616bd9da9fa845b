using OrleansCloud.Actions.VmReboot;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.VmReboot;

public sealed class VmRebootSchema : ForceSchema
{
    public override string Name => VmRebootPayload.Action;

    protected override string ForceMeans => "Reset at once instead of a graceful reboot (which falls back to a reset after a timeout).";

    protected override TaskPayload Payload(bool force) => new VmRebootPayload(force);
}
