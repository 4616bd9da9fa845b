using System.Collections.Concurrent;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>
/// Failures to inject into the simulated driver, for tests and demonstrations of retry and
/// rollback. A planned failure is consumed by the next matching operation.
/// </summary>
public sealed class SimulatedFaults
{
    private readonly ConcurrentDictionary<(string Host, HostOperationKind Kind), ConcurrentQueue<bool>> _planned = new();

    /// <summary>The next <paramref name="count"/> operations of <paramref name="kind"/> on the host fail.</summary>
    public void FailNext(string hostName, HostOperationKind kind, int count, bool retryable)
    {
        var queue = _planned.GetOrAdd((hostName, kind), _ => new ConcurrentQueue<bool>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(retryable);
        }
    }

    /// <summary>Consumes one planned failure; its retryability, or null when none is planned.</summary>
    public bool? TakeFailure(string hostName, HostOperationKind kind) =>
        _planned.TryGetValue((hostName, kind), out var queue) && queue.TryDequeue(out var retryable) ? retryable : null;

    public void Clear() => _planned.Clear();
}
