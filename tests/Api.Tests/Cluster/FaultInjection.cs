namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>
/// An incoming call filter of the test silo: while armed, every call to an OrleansCloud grain fails with the
/// given exception (which then crosses the wire to the API as the cluster would send it) or waits, unanswered,
/// until the fault is cleared.
/// </summary>
public sealed class FaultInjection : IIncomingGrainCallFilter
{
    private volatile Func<IIncomingGrainCallContext, Task>? _fault;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Throw(Exception exception) => _fault = _ => Task.FromException(exception);

    /// <summary>No answer until <see cref="Clear"/>, as from a paused silo.</summary>
    public void Hang()
    {
        var release = _release;
        _fault = async context =>
        {
            await release.Task;
            await context.Invoke();
        };
    }

    public void Clear()
    {
        _fault = null;
        _release.TrySetResult();
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task Invoke(IIncomingGrainCallContext context) =>
        _fault is { } fault && context.Grain?.GetType().Namespace?.StartsWith("OrleansCloud", StringComparison.Ordinal) == true
            ? fault(context)
            : context.Invoke();
}
