using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.Placement;

namespace OrleansCloud.HostAgent;

/// <summary>
/// Runs operations on one hypervisor, on the agent silo that announced it. Repeats of an operation
/// id are answered from memory; across restarts the drivers' own idempotency keeps repeats harmless.
/// </summary>
[HostAgentPlacement]
public sealed partial class HostAgentGrain(AnnouncedHosts hosts, DriverRegistry drivers, IServiceProvider services, ILogger<HostAgentGrain> logger) : Grain, IHostAgentGrain
{
    private const int MaxRemembered = 1000;

    private readonly Dictionary<string, HostOperationResult> _completed = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public async Task<HostOperationResult> Execute(HostOperation operation)
    {
        if (_completed.TryGetValue(operation.OperationId, out var known))
        {
            return known;
        }

        var hostName = this.GetPrimaryKeyString();
        var host = hosts.Find(hostName);
        var driver = host is null ? null : drivers.Find(host.Driver);
        if (host is null || driver is null)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                host is null ? $"this agent does not drive host {hostName}" : $"no driver '{host.Driver}' for host {hostName}", retryable: false, []);
        }

        // VM operations go to the hypervisor driver, network operations to the host's network driver.
        object? handler = operation switch
        {
            VmOperation => driver,
            NetworkOperation => services.GetKeyedService<INetworkDriver>(driver.Name) is { } networks ? new NetworkOperations(networks) : null,
            _ => null,
        };
        if (handler is null)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"host {hostName} ({driver.Name}) cannot run {operation.Name}", retryable: false, []);
        }

        HostOperationResult result;
        try
        {
            result = await HostOperationDispatch.RunAsync(handler, hostName, operation, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDriverFault(logger, ex, operation.Name, operation.Subject, hostName);
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"{driver.Name} driver failed: {ex.Message}", retryable: true, [$"{ex.GetType().Name}: {ex.Message}"]);
        }

        // Only successes are remembered: a failure must be tried again for real.
        if (result.Succeeded)
        {
            Remember(operation.OperationId, result);
        }

        return result;
    }

    private void Remember(string operationId, HostOperationResult result)
    {
        _completed[operationId] = result;
        _order.Enqueue(operationId);
        while (_order.Count > MaxRemembered)
        {
            _completed.Remove(_order.Dequeue());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Driver fault running {Operation} for {Subject} on {Host}")]
    private static partial void LogDriverFault(ILogger logger, Exception exception, string operation, string subject, string host);
}
