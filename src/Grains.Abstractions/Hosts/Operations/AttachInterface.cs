using OrleansCloud.Vms;

namespace OrleansCloud.Hosts.Operations;

/// <summary>
/// Gives the VM one more interface (realising its network on the host first): in its definition, and
/// live when it runs. Attaching an interface it has already (same MAC) succeeds.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.AttachInterface")]
public sealed record AttachInterface(string OperationId, string VmId, [property: Id(0)] VmInterface Interface) : VmOperation(OperationId, VmId);
