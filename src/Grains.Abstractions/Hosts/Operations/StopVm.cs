namespace OrleansCloud.Hosts.Operations;

/// <summary>Shuts the VM down (ACPI, then power-off after a timeout), or powers it off at once with Force.</summary>
[GenerateSerializer, Immutable, Alias("oc.StopVm")]
public sealed record StopVm(string OperationId, string VmId, [property: Id(0)] bool Force = false) : VmOperation(OperationId, VmId);
