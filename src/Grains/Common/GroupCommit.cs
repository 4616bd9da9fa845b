namespace OrleansCloud.Grains.Common;

/// <summary>
/// Group commit for a reentrant grain's state: every call changes <see cref="State"/> (the live copy)
/// in one synchronous stretch (its decision and its change are atomic, as in a non-reentrant grain),
/// then awaits <see cref="Commit"/>, which answers once a write that began after the change has finished.
/// A write stores a snapshot taken on the grain's turn, since the storage provider serializes off the
/// grain's thread while later calls go on changing the live copy.
/// Changes made while a write is in flight share the next write, so under load the grain writes
/// once per batch instead of once per call, and no caller is answered before its change is durable.
/// A failed write fails every caller waiting on it and every later one, and asks the grain to
/// deactivate (<paramref name="broken"/>): its memory may be ahead of storage, and the next activation
/// reloads what is durable. Calls that only read see changes that may not be durable yet.
/// </summary>
public sealed class GroupCommit<TState>(
    IPersistentState<TState> state, Func<TState, TState> copy, Action broken, Func<Task>? beforeWrite = null)
{
    private TState? _live;
    private bool _loaded;
    private long _changed;
    private long _durable;
    private Task? _writing;
    private Exception? _failure;

    /// <summary>The state the grain reads and changes (the stored state as loaded, then changed in memory).</summary>
    public TState State
    {
        get
        {
            if (!_loaded)
            {
                _live = state.State;
                _loaded = true;
            }

            return _live!;
        }
    }

    /// <summary>Storage writes made so far (benchmarks and tests compare it with the calls served).</summary>
    public long Writes { get; private set; }

    /// <summary>Makes the changes made so far durable; one write serves every caller that changed the state before it began.</summary>
    public Task Commit() => DurableUpTo(++_changed);

    /// <summary>
    /// For a call that changed nothing (an idempotent repeat): waits until every change made before it is
    /// durable, so it never answers from a change whose write may still fail.
    /// </summary>
    public Task Flushed() => _durable >= _changed && _failure is null ? Task.CompletedTask : DurableUpTo(_changed);

    private async Task DurableUpTo(long mine)
    {
        while (_durable < mine)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("An earlier write of this grain's state failed; it is reloading.", _failure);
            }

            var write = _writing ??= Write();
            try
            {
                await write;
            }
            finally
            {
                if (ReferenceEquals(_writing, write))
                {
                    _writing = null;
                }
            }
        }
    }

    private async Task Write()
    {
        // Yield once so that a write never completes inside the assignment that publishes it.
        await Task.Yield();
        try
        {
            // What must be durable before the state names it (sealed chunks of its maps); it may await, so
            // the snapshot and the changes it covers are taken after it.
            if (beforeWrite is not null)
            {
                await beforeWrite();
            }

            var upTo = _changed;
            Writes++;
            state.State = copy(State);
            await state.WriteStateAsync();
            _durable = upTo;
        }
        catch (Exception ex)
        {
            _failure = ex;
            broken();
            throw;
        }
    }
}
