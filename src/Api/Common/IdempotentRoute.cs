namespace OrleansCloud.Api;

/// <summary>Endpoint metadata: this route replays its answers by <c>Idempotency-Key</c> (<see cref="IdempotentRequests"/>).</summary>
public sealed record IdempotentRoute;
