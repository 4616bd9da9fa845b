using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;
using OrleansCloud.Grains.Actions;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains;

public static class GrainsHostingExtensions
{
    /// <summary>Registers what the control-plane grains need: options and a clock. Storage, reminders and streams are the host's choice.</summary>
    public static ISiloBuilder AddOrleansCloudGrains(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<TaskOptions>()
            .Bind(configuration.GetSection(TaskOptions.Section))
            .Validate(o => o.Deadline > TimeSpan.Zero && o.MaxAttempts >= 1 && o.RetryBackoff >= TimeSpan.Zero && o.MaxRetryBackoff >= TimeSpan.Zero && o.RetryWindow >= TimeSpan.Zero
                && o.WatchdogPeriod >= TimeSpan.FromSeconds(1) && o.WatchdogBuckets is >= 1 and <= 1024 && o.HoldMargin >= TimeSpan.Zero && o.MaxLogLines >= 10,
                "Tasks: Deadline > 0, MaxAttempts >= 1, RetryBackoff >= 0, MaxRetryBackoff >= 0, RetryWindow >= 0, WatchdogPeriod >= 1s, WatchdogBuckets 1-1024, HoldMargin >= 0, MaxLogLines >= 10")
            .ValidateOnStart();
        builder.Services.AddOptions<PlacementOptions>()
            .Bind(configuration.GetSection(PlacementOptions.Section))
            .Validate(o => o.MaxHeartbeatAge > TimeSpan.Zero && o.MaxClaimAttempts >= 1 && o.MaxElectionRounds >= 1
                && o.ScoreTolerance is > 0 and <= 1 && o.FeedPartitions >= 1 && o.FeedPullInterval > TimeSpan.Zero,
                "Placement: MaxHeartbeatAge > 0, MaxClaimAttempts >= 1, MaxElectionRounds >= 1, 0 < ScoreTolerance <= 1, FeedPartitions >= 1, FeedPullInterval > 0")
            .ValidateOnStart();
        builder.Services.AddOptions<OrleansCloud.Grains.Reconciliation.ReconciliationOptions>()
            .Bind(configuration.GetSection(OrleansCloud.Grains.Reconciliation.ReconciliationOptions.Section))
            .Validate(o => o.OrphanGrace >= TimeSpan.Zero && o.LostAfterReports >= 1, "Reconciliation: OrphanGrace >= 0, LostAfterReports >= 1")
            .ValidateOnStart();
        builder.Services.AddSingleton<PlacementView>();
        builder.Services.AddSingleton<PlacementFeedReader>();
        // The watchdog may be set below Orleans' one-minute reminder floor (tests, small deadlines).
        builder.Services.AddOptions<ReminderOptions>().Configure<IOptions<TaskOptions>>((reminders, tasks) =>
        {
            if (tasks.Value.WatchdogPeriod < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = tasks.Value.WatchdogPeriod;
            }
        });
        builder.Services.TryAddKeyedSingleton(ControlPlaneClock.Key, TimeProvider.System);

        // One binary serializer for grain state in every storage that does not name its own (the
        // all-in-one's memory storage included): the state classes are [GenerateSerializer] with stable
        // [Id]s. Orleans' default is Newtonsoft JSON, several times larger and slower, and unsafe with
        // get-only properties (it populated the shared ResourceAmount.Zero).
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        builder.Services.AddTaskActions();
        builder.AddTenantPlacement();
        return builder;
    }
}
