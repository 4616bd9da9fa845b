namespace OrleansCloud.Common;

/// <summary>One event on a tenant's stream: task progress or a resource state change.</summary>
[GenerateSerializer, Immutable, Alias("oc.TenantEvent")]
public sealed record TenantEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Type,
    [property: Id(3)] string? TaskId,
    [property: Id(4)] string? ResourceId,
    [property: Id(5)] string Status,
    [property: Id(6)] string Message,
    [property: Id(7)] DateTimeOffset At);
