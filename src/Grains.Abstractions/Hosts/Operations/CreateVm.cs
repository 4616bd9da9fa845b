using OrleansCloud.Vms;

namespace OrleansCloud.Hosts.Operations;

/// <summary>Defines and starts the VM from its spec.</summary>
[GenerateSerializer, Immutable, Alias("oc.CreateVm")]
public sealed record CreateVm(string OperationId, string VmId, [property: Id(0)] VmSpec Spec) : VmOperation(OperationId, VmId);
