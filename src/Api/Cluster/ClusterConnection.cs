namespace OrleansCloud.Api.Cluster;

/// <summary>
/// Whether the API's Orleans client has connected. The API process serves HTTP from its first second,
/// whether or not the cluster is up (the client starts beside Kestrel and retries its connection, see
/// <see cref="ClusterConnectionRetry"/>); until it has connected, every route under <c>/api/v1</c> answers
/// 503 <c>ERR_UNAVAILABLE</c> with <c>Retry-After</c> at once, and <c>/readyz</c> says not ready.
/// </summary>
public sealed class ClusterConnection(IHostApplicationLifetime lifetime)
{
    /// <summary>The host finishes starting once the cluster client has connected (its start retries until then).</summary>
    public bool IsConnected => lifetime.ApplicationStarted.IsCancellationRequested;

}
