namespace OrleansCloud.Hosts.Operations;

/// <summary>Starts a defined VM.</summary>
[GenerateSerializer, Immutable, Alias("oc.StartVm")]
public sealed record StartVm(string OperationId, string VmId) : VmOperation(OperationId, VmId);
