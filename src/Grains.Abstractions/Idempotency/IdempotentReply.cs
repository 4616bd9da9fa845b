namespace OrleansCloud.Idempotency;

/// <summary>A successful answer kept so that a retry with the same key and body gets it again, byte for byte.</summary>
[GenerateSerializer, Immutable, Alias("oc.IdempotentReply")]
public sealed record IdempotentReply(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] string? Location,
    [property: Id(3)] byte[] Body);
