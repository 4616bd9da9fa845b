namespace OrleansCloud.Reconciliation;

/// <summary>A VM as its hypervisor reports it: the domain's name (the VM id for the platform's own) and whether it runs.</summary>
[GenerateSerializer, Immutable, Alias("oc.ObservedVm")]
public sealed record ObservedVm([property: Id(0)] string VmId, [property: Id(1)] bool Running);
