namespace OrleansCloud.Hosts.Operations;

/// <summary>Reboots the VM gracefully, falling back to a hard reset after a timeout, or resets it at once with Force.</summary>
[GenerateSerializer, Immutable, Alias("oc.RebootVm")]
public sealed record RebootVm(string OperationId, string VmId, [property: Id(0)] bool Force = false) : VmOperation(OperationId, VmId);
