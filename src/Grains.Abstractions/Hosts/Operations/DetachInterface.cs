using OrleansCloud.Vms;

namespace OrleansCloud.Hosts.Operations;

/// <summary>
/// Removes one interface of the VM (by MAC), from its definition and live when it runs, then the
/// network from the host if no VM there uses it any more. Detaching an absent interface succeeds.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.DetachInterface")]
public sealed record DetachInterface(string OperationId, string VmId, [property: Id(0)] VmInterface Interface) : VmOperation(OperationId, VmId);
