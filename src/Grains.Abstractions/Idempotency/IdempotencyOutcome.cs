namespace OrleansCloud.Idempotency;

/// <summary>What a request with an idempotency key may do.</summary>
public enum IdempotencyOutcome
{
    /// <summary>The key is new (or its earlier attempt failed or went stale): run the request, then complete or abandon it.</summary>
    Proceed = 0,

    /// <summary>The same request succeeded before: answer its reply.</summary>
    Replay = 1,

    /// <summary>The key was used for a different request: 409.</summary>
    Mismatch = 2,

    /// <summary>The same request is running right now: 409, retry later.</summary>
    InProgress = 3,
}
