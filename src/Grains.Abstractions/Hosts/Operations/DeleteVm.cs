namespace OrleansCloud.Hosts.Operations;

/// <summary>Destroys the VM and removes its disks.</summary>
[GenerateSerializer, Immutable, Alias("oc.DeleteVm")]
public sealed record DeleteVm(string OperationId, string VmId) : VmOperation(OperationId, VmId);
