using OrleansCloud.Hosts.Operations;

namespace OrleansCloud.HostAgent.Drivers;

/// <summary>Network operations of a task, run by a host's <see cref="INetworkDriver"/>.</summary>
public sealed class NetworkOperations(INetworkDriver networks) :
    IHostOperationHandler<EnsureNetwork>,
    IHostOperationHandler<RemoveNetwork>
{
    public async Task<HostOperationResult> ExecuteAsync(string hostName, EnsureNetwork operation, CancellationToken cancellationToken) =>
        ToResult(operation, await networks.EnsureNetworkAsync(new NetworkSpec(operation.Network, operation.Bridge, operation.Vlan), cancellationToken));

    public async Task<HostOperationResult> ExecuteAsync(string hostName, RemoveNetwork operation, CancellationToken cancellationToken) =>
        ToResult(operation, await networks.DeleteNetworkAsync(operation.Network, cancellationToken));

    private static HostOperationResult ToResult(HostOperation operation, NetworkResult result) =>
        result.Succeeded
            ? HostOperationResult.Success(operation.OperationId, result.Logs)
            : HostOperationResult.Failure(operation.OperationId, result.Conflict ? ErrorCodes.Conflict : ErrorCodes.HostOperationFailed,
                result.Message ?? $"{operation.Name} failed", retryable: !result.Conflict, result.Logs);
}
