namespace OrleansCloud.Grains.Tenants;

/// <summary>Usage committed by one resource of the tenant, with the task that created it.</summary>
[GenerateSerializer, Immutable, Alias("oc.CommittedResource")]
public sealed record CommittedResource(
    [property: Id(0)] string ResourceId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Name,
    [property: Id(3)] ResourceAmount Amount,
    [property: Id(4)] string TaskId);
