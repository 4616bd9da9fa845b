using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.Heartbeat;

/// <summary>
/// Reports every announced host to its <see cref="IHostGrain"/> each interval, first right after
/// start. A failed report is logged and the next tick tries again; it never stops the agent.
/// </summary>
public sealed partial class HeartbeatService(
    IGrainFactory grains,
    AnnouncedHosts hosts,
    DriverRegistry drivers,
    IOptions<HostAgentOptions> options,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var reported = await Task.WhenAll(hosts.All.Select(host => Report(host, stoppingToken)));

            // Until every host got through (e.g. the silo is still starting), try again soon.
            var interval = options.Value.HeartbeatInterval;
            var delay = reported.All(ok => ok) || interval < RetryDelay ? interval : RetryDelay;
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> Report(HostDefinition host, CancellationToken cancellationToken)
    {
        try
        {
            var driver = drivers.Find(host.Driver);
            var running = driver is null ? 0 : await driver.CountRunningAsync(host.Name, cancellationToken);
            var capacity = host.Capacity;
            if (driver is IHostInventory inventory && await inventory.MeasureCapacityAsync(host.Name, cancellationToken) is { } measured)
            {
                // What the hypervisor has; the VM count stays what was configured.
                capacity = measured with { Vms = host.MaxVms };
            }

            var pools = driver is IStoragePoolInventory storage && await storage.ListStoragePoolsAsync(host, cancellationToken) is { } listed
                ? listed
                : [.. host.StoragePools.Select(p => p.ToInfo())];

            await grains.Ref<IHostGrain>(host.Name).Heartbeat(new HostHeartbeat(
                host.Name, host.Area, host.Driver, capacity, host.Capabilities, running, time.GetUtcNow(), pools));
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            LogHeartbeatFailed(logger, ex, host.Name);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat of host {Host} failed; retrying")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string host);
}
