namespace OrleansCloud.Vms;

[GenerateSerializer, Immutable, Alias("oc.VmView")]
public sealed record VmView(
    [property: Id(0)] string VmId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] VmSpec Spec,
    [property: Id(3)] VmState State,
    [property: Id(4)] string? Host,
    [property: Id(5)] IReadOnlyList<string> Addresses,
    [property: Id(6)] string? LastTaskId,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] long Version);
