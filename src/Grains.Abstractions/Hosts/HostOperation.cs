namespace OrleansCloud.Hosts;

/// <summary>
/// One idempotent operation for a host agent, a closed hierarchy of records (see <c>Operations</c>).
/// <see cref="OperationId"/> is stable across retries, so the agent may apply it at least once.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.HostOperation")]
public abstract record HostOperation([property: Id(0)] string OperationId)
{
    /// <summary>The name logs and errors use ("CreateVm").</summary>
    public string Name => GetType().Name;

    /// <summary>What the operation acts on, for logs.</summary>
    public abstract string Subject { get; }
}
