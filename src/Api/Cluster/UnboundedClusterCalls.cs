namespace OrleansCloud.Api.Cluster;

/// <summary>
/// Endpoint metadata: the route lives longer than one answer (the event stream polls the cluster for as
/// long as the client listens), so its calls are bound one by one by the client's response timeout, not
/// by a request budget.
/// </summary>
public sealed class UnboundedClusterCalls
{
    public static UnboundedClusterCalls Instance { get; } = new();

    private UnboundedClusterCalls()
    {
    }
}
