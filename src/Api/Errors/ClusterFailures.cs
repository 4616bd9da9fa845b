using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using OrleansCloud.Api.Cluster;
using OrleansCloud.Hosting;

namespace OrleansCloud.Api.Errors;

/// <summary>
/// Which faults mean "the control plane cannot answer now" (503 <c>ERR_UNAVAILABLE</c> with <c>Retry-After</c>,
/// safe to retry with the same <c>Idempotency-Key</c>) rather than a bug (500).
/// </summary>
public static class ClusterFailures
{
    /// <summary>
    /// Timeouts (the request's budget, Orleans' response timeout, Polly's placement timeout), Orleans'
    /// messaging faults (<c>SiloUnavailableException</c>, <c>OrleansMessageRejectionException</c>,
    /// <c>ConnectionFailedException</c>, a gateway too busy), database failures a grain met (an exhausted or
    /// unreachable pool: <c>DbException</c>), sockets, and a remote fault the wire could not carry (the
    /// silo's <c>CodecNotFoundException</c>, or a Polly or Npgsql type this process cannot load): the cluster
    /// could not say what happened, and a retry is the only useful move.
    /// </summary>
    public static bool IsUnavailable(Exception? exception) => exception switch
    {
        null => false,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        TimeoutException or OrleansException or DbException or SocketException or OperationCanceledException => true,
        Polly.ExecutionRejectedException => true,
        CodecNotFoundException => true,
        UnavailableExceptionFallbackException fallback => FromTheCluster(fallback.ExceptionType) || IsUnavailable(fallback.InnerException),
        _ => IsUnavailable(exception.InnerException),
    };

    /// <summary>503 <c>ERR_UNAVAILABLE</c> problem with <c>Retry-After</c> (<see cref="ClusterCallOptions.RetryAfter"/>).</summary>
    public static Task WriteUnavailable(HttpContext http, string message)
    {
        var retryAfter = http.RequestServices.GetService<IOptions<ClusterCallOptions>>()?.Value.RetryAfter ?? new ClusterCallOptions().RetryAfter;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Write(http, new Error(ErrorCodes.Unavailable, message));
    }

    private static bool FromTheCluster(string? typeName) =>
        typeName is not null && ClusterExceptions.NamespacePrefixes.Any(prefix => typeName.StartsWith(prefix + ".", StringComparison.Ordinal));
}
