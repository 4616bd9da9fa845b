using System.Collections.Concurrent;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>
/// Failures to inject into the simulated driver, for tests and demonstrations of retry and
/// rollback. A planned failure is consumed by the next operation of that type on that host.
/// </summary>
public sealed class SimulatedFaults
{
    private readonly ConcurrentDictionary<(string Host, Type Operation), ConcurrentQueue<bool>> _planned = new();

    /// <summary>The next <paramref name="count"/> operations of type <typeparamref name="TOperation"/> on the host fail.</summary>
    public void FailNext<TOperation>(string hostName, int count, bool retryable)
        where TOperation : HostOperation
    {
        var queue = _planned.GetOrAdd((hostName, typeof(TOperation)), _ => new ConcurrentQueue<bool>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(retryable);
        }
    }

    /// <summary>Consumes one planned failure; its retryability, or null when none is planned.</summary>
    public bool? TakeFailure(string hostName, HostOperation operation) =>
        _planned.TryGetValue((hostName, operation.GetType()), out var queue) && queue.TryDequeue(out var retryable) ? retryable : null;

    public void Clear() => _planned.Clear();
}
