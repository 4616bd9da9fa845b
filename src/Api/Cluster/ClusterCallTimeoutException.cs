namespace OrleansCloud.Api.Cluster;

/// <summary>The cluster did not answer a request's grain calls within its budget; the API answers 503 <c>ERR_UNAVAILABLE</c>.</summary>
public sealed class ClusterCallTimeoutException : TimeoutException
{
    public ClusterCallTimeoutException()
    {
    }

    public ClusterCallTimeoutException(string message)
        : base(message)
    {
    }

    public ClusterCallTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterCallTimeoutException(string? interfaceName, string? methodName, TimeSpan budget)
        : base($"The cluster did not answer {interfaceName}.{methodName} within the request's {budget.TotalSeconds:0.###} s.")
    {
    }
}
