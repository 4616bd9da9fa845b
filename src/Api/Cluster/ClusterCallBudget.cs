using OrleansCloud.Api.Errors;

namespace OrleansCloud.Api.Cluster;

/// <summary>
/// One request's time with the cluster: the middleware opens a budget of
/// <see cref="ClusterCallOptions.ClusterCallTimeout"/> when the request arrives, and
/// <see cref="ClusterCallBudgetFilter"/> gives each grain call only what is left of it, so a request answers
/// in bounded time however many calls it makes. The budget is closed when the request ends: work that
/// outlives the request (and captured its execution context) is no longer bound by it.
/// </summary>
public static class ClusterCallBudget
{
    private static readonly AsyncLocal<Budget?> Current = new();

    /// <summary>What is left of the current request's budget; null outside a request or on an unbounded route.</summary>
    public static TimeSpan? Remaining(TimeProvider time) => Current.Value?.Remaining(time);

    /// <summary>The budget's length, for the message of a call it cut off.</summary>
    public static TimeSpan? Length => Current.Value?.Length;

    /// <summary>Runs after routing (so a route can opt out with <see cref="UnboundedClusterCalls"/>), before authentication (which reads grains).</summary>
    public static IApplicationBuilder UseClusterCallBudget(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<UnboundedClusterCalls>() is not null)
        {
            await next(http);
            return;
        }

        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var length = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterCallOptions>>().Value.ClusterCallTimeout;
        var budget = new Budget(time.GetTimestamp(), length);
        Current.Value = budget;
        try
        {
            await next(http);
        }
        finally
        {
            budget.Close();
            Current.Value = null;
        }
    });

    private sealed class Budget(long start, TimeSpan length)
    {
        private volatile bool _closed;

        public TimeSpan Length => length;

        public TimeSpan? Remaining(TimeProvider time) => _closed ? null : length - time.GetElapsedTime(start);

        public void Close() => _closed = true;
    }
}
