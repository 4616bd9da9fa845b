namespace OrleansCloud.Idempotency;

/// <summary>
/// One idempotency key of one caller on one route (the key is a hash of the three): the request it was
/// first used for (a fingerprint of method, path, query and body) and, once that succeeded, its answer.
/// A record lives 24 hours; an attempt that never completed is given up after a minute.
/// </summary>
[Alias("oc.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    [Alias("Begin")]
    Task<IdempotencyClaim> Begin(string fingerprint);

    /// <summary>Keeps the successful answer of the attempt that <see cref="Begin"/> let proceed.</summary>
    [Alias("Complete")]
    Task Complete(string fingerprint, IdempotentReply reply);

    /// <summary>The attempt did not succeed: the key is free again.</summary>
    [Alias("Abandon")]
    Task Abandon(string fingerprint);
}
