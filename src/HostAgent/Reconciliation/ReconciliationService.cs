using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Reconciliation;

namespace OrleansCloud.HostAgent.Reconciliation;

/// <summary>
/// Reports what each host's hypervisor really runs to its <see cref="IHostReconcilerGrain"/>: once
/// the agent has joined (after its first heartbeats) and then every <see cref="HostAgentOptions.ReconcileInterval"/>.
/// The control plane decides what to correct; a failed report is logged and tried next time.
/// </summary>
public sealed partial class ReconciliationService(
    IGrainFactory grains,
    AnnouncedHosts hosts,
    DriverRegistry drivers,
    IOptions<HostAgentOptions> options,
    TimeProvider time,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconcileInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // Let the first heartbeats make the hosts known before their records are compared.
        var delay = options.Value.HeartbeatInterval * 2;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.WhenAll(hosts.All.Select(host => Report(host, stoppingToken)));
            delay = interval;
        }
    }

    private async Task Report(HostDefinition host, CancellationToken cancellationToken)
    {
        if (drivers.Find(host.Driver) is not IVmInventory inventory)
        {
            return;
        }

        try
        {
            var vms = await inventory.ListVmsAsync(host.Name, cancellationToken);
            var report = await grains.Ref<IHostReconcilerGrain>(host.Name)
                .Report([.. vms.Select(v => new ObservedVm(v.Name, IsRunning(v.State)))]);
            if (report.Lost.Count + report.Drifted.Count + report.OrphansRemoved.Count > 0)
            {
                LogCorrected(logger, host.Name, report.Lost.Count, report.Drifted.Count, report.OrphansRemoved.Count);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(logger, ex, host.Name);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>libvirt says "running" (or "paused", "blocked": still defined and up), Hyper-V "Running", the simulated driver "running".</summary>
    public static bool IsRunning(string state) =>
        state.Equals("running", StringComparison.OrdinalIgnoreCase)
        || state.Equals("paused", StringComparison.OrdinalIgnoreCase)
        || state.Equals("blocked", StringComparison.OrdinalIgnoreCase)
        || state.Equals("idle", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation of host {Host}: {Lost} lost, {Drifted} drifted, {Removed} orphans removed")]
    private static partial void LogCorrected(ILogger logger, string host, int lost, int drifted, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation report of host {Host} failed; trying again next interval")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string host);
}
