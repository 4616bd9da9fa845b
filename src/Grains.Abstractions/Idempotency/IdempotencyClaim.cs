namespace OrleansCloud.Idempotency;

[GenerateSerializer, Immutable, Alias("oc.IdempotencyClaim")]
public sealed record IdempotencyClaim(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] IdempotentReply? Reply = null);
