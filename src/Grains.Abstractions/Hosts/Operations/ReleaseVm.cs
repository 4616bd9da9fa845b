namespace OrleansCloud.Hosts.Operations;

/// <summary>Removes a VM that left this host in a migration; KeepDisks when the target uses the same disk files (shared storage).</summary>
[GenerateSerializer, Immutable, Alias("oc.ReleaseVm")]
public sealed record ReleaseVm(string OperationId, string VmId, [property: Id(0)] bool KeepDisks) : VmOperation(OperationId, VmId);
