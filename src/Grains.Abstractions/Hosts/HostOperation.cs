using OrleansCloud.Vms;

namespace OrleansCloud.Hosts;

/// <summary>One idempotent operation for a host agent. <see cref="OperationId"/> is stable across retries.</summary>
[GenerateSerializer, Immutable, Alias("oc.HostOperation")]
public sealed record HostOperation(
    [property: Id(0)] string OperationId,
    [property: Id(1)] HostOperationKind Kind,
    [property: Id(2)] string VmId,
    [property: Id(3)] VmSpec? Spec);
