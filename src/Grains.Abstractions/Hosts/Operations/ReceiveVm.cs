using OrleansCloud.Vms;

namespace OrleansCloud.Hosts.Operations;

/// <summary>Defines (without starting) a VM arriving from SourceHost in a cold migration, with its disk from the area's storage.</summary>
[GenerateSerializer, Immutable, Alias("oc.ReceiveVm")]
public sealed record ReceiveVm(string OperationId, string VmId, [property: Id(0)] VmSpec Spec, [property: Id(1)] string SourceHost) : VmOperation(OperationId, VmId);
