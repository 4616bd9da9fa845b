namespace OrleansCloud.Api.Cluster;

/// <summary>
/// An outgoing filter of the API's Orleans client: a grain call gets what is left of its request's
/// <see cref="ClusterCallBudget"/>, and a call still unanswered then fails with
/// <see cref="ClusterCallTimeoutException"/> (503). The call itself is not recalled: the cluster may still
/// carry it out, which is why submissions are retried with their <c>Idempotency-Key</c>.
/// </summary>
public sealed class ClusterCallBudgetFilter(TimeProvider time) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (ClusterCallBudget.Remaining(time) is not { } remaining)
        {
            await context.Invoke();
            return;
        }

        var length = ClusterCallBudget.Length ?? remaining;
        if (remaining <= TimeSpan.Zero)
        {
            throw new ClusterCallTimeoutException(context.InterfaceName, context.MethodName, length);
        }

        var call = context.Invoke();
        try
        {
            await call.WaitAsync(remaining, time);
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            // Its late outcome is of no interest any more; observe it so that it is not reported as unobserved.
            _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ClusterCallTimeoutException(context.InterfaceName, context.MethodName, length);
        }
    }
}
