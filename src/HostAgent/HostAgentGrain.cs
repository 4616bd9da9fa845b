using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.Placement;

namespace OrleansCloud.HostAgent;

/// <summary>
/// Runs operations on one hypervisor, on the agent silo that announced it: operations on different VMs
/// or networks at the same time (up to HostAgent:MaxParallelOperations), one VM's or network's in arrival
/// order (see <see cref="OperationLanes"/>). Repeats of an operation id are joined while in flight and
/// answered from memory after a success; across restarts the drivers' own idempotency keeps repeats
/// harmless.
/// </summary>
/// <remarks>
/// Reentrant on purpose, not to dodge a call cycle: a hypervisor works on many VMs at once, and while one
/// operation awaits its driver the activation takes the next. The lanes are the concurrency control; the
/// grain calls no other grain.
/// </remarks>
[HostAgentPlacement]
[Reentrant]
public sealed partial class HostAgentGrain(
    AnnouncedHosts hosts, DriverRegistry drivers, IServiceProvider services, IOptions<HostAgentOptions> options, ILogger<HostAgentGrain> logger) : Grain, IHostAgentGrain
{
    private readonly OperationLanes _lanes = new(options.Value.MaxParallelOperations);

    public Task<HostOperationResult> Execute(HostOperation operation) =>
        _lanes.Run(operation.OperationId, OperationLanes.LaneOf(operation), () => Run(operation));

    private async Task<HostOperationResult> Run(HostOperation operation)
    {
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

        try
        {
            return await HostOperationDispatch.RunAsync(handler, hostName, operation, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDriverFault(logger, ex, operation.Name, operation.Subject, hostName);
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"{driver.Name} driver failed: {ex.Message}", retryable: true, [$"{ex.GetType().Name}: {ex.Message}"]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Driver fault running {Operation} for {Subject} on {Host}")]
    private static partial void LogDriverFault(ILogger logger, Exception exception, string operation, string subject, string host);
}
