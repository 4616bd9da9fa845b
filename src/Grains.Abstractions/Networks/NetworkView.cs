namespace OrleansCloud.Networks;

[GenerateSerializer, Immutable, Alias("oc.NetworkView")]
public sealed record NetworkView(
    [property: Id(0)] string NetworkId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] NetworkSpec Spec,
    [property: Id(3)] NetworkState State,
    [property: Id(4)] int Interfaces,
    [property: Id(5)] string? LastTaskId,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
