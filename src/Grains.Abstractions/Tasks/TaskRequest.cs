namespace OrleansCloud.Tasks;

/// <summary>
/// A validated, enriched request: the action's name ("vm.create"), its target and its typed payload.
/// <see cref="Fingerprint"/> identifies its content so that a retried submission with the same task
/// id (an idempotency key) is recognised, and a different one refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.TaskRequest")]
public sealed record TaskRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Action,
    [property: Id(2)] string RequestedBy,
    [property: Id(3)] TaskTarget? Target,
    [property: Id(4)] TaskPayload Payload,
    [property: Id(5)] string Fingerprint);
