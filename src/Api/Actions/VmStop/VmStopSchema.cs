using OrleansCloud.Actions.VmStop;
using OrleansCloud.Api.Actions.Shared;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.VmStop;

public sealed class VmStopSchema : ForceSchema
{
    public override string Name => VmStopPayload.Action;

    protected override string ForceMeans => "Power off at once instead of an ACPI shutdown.";

    protected override TaskPayload Payload(bool force) => new VmStopPayload(force);
}
