namespace OrleansCloud.Vms;

/// <summary>Observed facts that come with a transition: the host, the addresses, the new size, the task that caused it.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmUpdate")]
public sealed record VmUpdate(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string? Host = null,
    [property: Id(2)] IReadOnlyList<string>? Addresses = null,
    [property: Id(3)] VmSpec? Spec = null);
