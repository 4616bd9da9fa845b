using Orleans.Runtime;

namespace OrleansCloud.Api.Cluster;

/// <summary>
/// Keeps the Orleans client trying to connect, however long the cluster (or the database that lists its
/// gateways) is away: the API starts before the cluster and connects when it comes, instead of failing
/// its start. The first retries are quick, so that a restarted API is back within a second or two.
/// </summary>
public sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger, TimeProvider time) : IClientConnectionRetryFilter
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        var delay = attempt < 4 ? FirstDelay : MaxDelay;
        LogRetrying(logger, attempt, exception.GetBaseException().Message);
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not connected to the cluster yet (attempt {Attempt}): {Reason}; the API answers 503 until it is")]
    private static partial void LogRetrying(ILogger logger, int attempt, string reason);
}
