using OrleansCloud.Idempotency;

namespace OrleansCloud.Grains.Idempotency;

[GenerateSerializer, Alias("oc.IdempotencyState")]
public sealed class IdempotencyState
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public DateTimeOffset StartedAt { get; set; }
    [Id(2)] public IdempotentReply? Reply { get; set; }
}
