using OrleansCloud.Hosts;

namespace OrleansCloud.HostAgent;

/// <summary>
/// How a host agent runs operations: different subjects (VMs, networks) at the same time up to a limit,
/// one subject's operations one at a time in arrival order. A repeat of an operation id still running is
/// joined; a repeat of one that succeeded is answered from memory (the last <c>maxRemembered</c>).
/// Thread-safe; in a grain every continuation comes back to the activation's scheduler.
/// </summary>
public sealed class OperationLanes
{
    private readonly object _gate = new();
    private readonly int _maxParallel;
    private readonly int _maxRemembered;
    private readonly Dictionary<string, HostOperationResult> _completed = new(StringComparer.Ordinal);
    private readonly Queue<string> _completedOrder = new();
    private readonly Dictionary<string, Task<HostOperationResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _laneTails = new(StringComparer.Ordinal);
    private readonly Queue<TaskCompletionSource> _waitingForSlot = new();
    private int _running;

    public OperationLanes(int maxParallel, int maxRemembered = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRemembered, 0);
        _maxParallel = maxParallel;
        _maxRemembered = maxRemembered;
    }

    /// <summary>Operations running now (not waiting for their lane or a slot).</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>The lane of an operation: its VM or its network.</summary>
    public static string LaneOf(HostOperation operation) => operation switch
    {
        VmOperation vm => "vm/" + vm.VmId,
        NetworkOperation network => "network/" + network.Network,
        _ => operation.GetType().Name + "/" + operation.Subject,
    };

    /// <summary>
    /// Runs <paramref name="run"/> for <paramref name="operationId"/> in <paramref name="lane"/> once the
    /// lane's earlier operations are done and a slot is free. Only successes are remembered: a failure
    /// must be tried again for real.
    /// </summary>
    public Task<HostOperationResult> Run(string operationId, string lane, Func<Task<HostOperationResult>> run)
    {
        TaskCompletionSource<HostOperationResult> done;
        Task previous;
        lock (_gate)
        {
            if (_completed.TryGetValue(operationId, out var known))
            {
                return Task.FromResult(known);
            }

            if (_inFlight.TryGetValue(operationId, out var running))
            {
                return running;
            }

            done = new TaskCompletionSource<HostOperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            previous = _laneTails.GetValueOrDefault(lane) ?? Task.CompletedTask;
            _inFlight[operationId] = done.Task;
            _laneTails[lane] = done.Task;
        }

        _ = Drive(operationId, lane, previous, run, done);
        return done.Task;
    }

    private async Task Drive(string operationId, string lane, Task previous, Func<Task<HostOperationResult>> run, TaskCompletionSource<HostOperationResult> done)
    {
        // The predecessor's fault belongs to its caller; this operation only waits for its turn.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        await EnterSlot();
        HostOperationResult? result = null;
        Exception? fault = null;
        try
        {
            result = await run();
        }
        catch (Exception ex)
        {
            fault = ex;
        }
        finally
        {
            LeaveSlot();
        }

        lock (_gate)
        {
            _inFlight.Remove(operationId);
            if (_laneTails.TryGetValue(lane, out var tail) && tail == done.Task)
            {
                _laneTails.Remove(lane);
            }

            if (result is { Succeeded: true })
            {
                Remember(operationId, result);
            }
        }

        if (fault is not null)
        {
            done.SetException(fault);
        }
        else
        {
            done.SetResult(result!);
        }
    }

    private Task EnterSlot()
    {
        lock (_gate)
        {
            if (_running < _maxParallel)
            {
                _running++;
                return Task.CompletedTask;
            }

            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waitingForSlot.Enqueue(turn);
            return turn.Task;
        }
    }

    // A waiting operation inherits the slot, so the count never dips and lets a newcomer jump the queue.
    private void LeaveSlot()
    {
        lock (_gate)
        {
            if (_waitingForSlot.TryDequeue(out var next))
            {
                next.SetResult();
            }
            else
            {
                _running--;
            }
        }
    }

    private void Remember(string operationId, HostOperationResult result)
    {
        _completed[operationId] = result;
        _completedOrder.Enqueue(operationId);
        while (_completedOrder.Count > _maxRemembered)
        {
            _completed.Remove(_completedOrder.Dequeue());
        }
    }
}
