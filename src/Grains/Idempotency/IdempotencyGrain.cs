using OrleansCloud.Idempotency;

namespace OrleansCloud.Grains.Idempotency;

public sealed class IdempotencyGrain(
    [PersistentState("idempotency")] IPersistentState<IdempotencyState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IIdempotencyGrain
{
    /// <summary>How long a completed answer is replayed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>An attempt that has not completed by then (its API process died) no longer blocks the key.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(1);

    public async Task<IdempotencyClaim> Begin(string fingerprint)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        var expired = s.Fingerprint is null
            || (s.Reply is not null && now - s.StartedAt > Retention)
            || (s.Reply is null && now - s.StartedAt > AttemptTimeout);
        if (!expired)
        {
            if (!string.Equals(s.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new IdempotencyClaim(IdempotencyOutcome.Mismatch);
            }

            return s.Reply is null ? new IdempotencyClaim(IdempotencyOutcome.InProgress) : new IdempotencyClaim(IdempotencyOutcome.Replay, s.Reply);
        }

        (s.Fingerprint, s.StartedAt, s.Reply) = (fingerprint, now, null);
        await state.WriteStateAsync();
        return new IdempotencyClaim(IdempotencyOutcome.Proceed);
    }

    public async Task Complete(string fingerprint, IdempotentReply reply)
    {
        if (string.Equals(state.State.Fingerprint, fingerprint, StringComparison.Ordinal) && state.State.Reply is null)
        {
            state.State.Reply = reply;
            await state.WriteStateAsync();
        }
    }

    public async Task Abandon(string fingerprint)
    {
        if (string.Equals(state.State.Fingerprint, fingerprint, StringComparison.Ordinal) && state.State.Reply is null)
        {
            await state.ClearStateAsync();
            state.State = new IdempotencyState();
        }
    }
}
