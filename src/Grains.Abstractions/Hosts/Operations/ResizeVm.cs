namespace OrleansCloud.Hosts.Operations;

/// <summary>Gives a stopped VM a new size (cpu, memory; the disk only grows).</summary>
[GenerateSerializer, Immutable, Alias("oc.ResizeVm")]
public sealed record ResizeVm(string OperationId, string VmId, [property: Id(0)] int Cpu, [property: Id(1)] long RamMb, [property: Id(2)] long DiskGb) : VmOperation(OperationId, VmId);
