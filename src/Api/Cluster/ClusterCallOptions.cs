using System.ComponentModel.DataAnnotations;

namespace OrleansCloud.Api.Cluster;

/// <summary>
/// How long the API waits for the cluster (configuration section <c>Api</c>), validated at start. A request
/// the cluster cannot answer in <see cref="ClusterCallTimeout"/> is 503 <c>ERR_UNAVAILABLE</c> with
/// <c>Retry-After</c>, instead of Orleans' 30-second response timeout.
/// </summary>
public sealed class ClusterCallOptions
{
    public const string Section = "Api";

    /// <summary>
    /// The longest a request spends waiting on the cluster, all its grain calls together; also the Orleans
    /// client's response timeout for any one call. A submission cut off by it may still be accepted: its
    /// retry with the same <c>Idempotency-Key</c> then answers that task.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ClusterCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>Retry-After</c> of a 503 <c>ERR_UNAVAILABLE</c>: when a client should try again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
