using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// Keeps this silo's <see cref="PlacementView"/> up with the hosts whose grains live on other silos:
/// at most once per <see cref="PlacementOptions.FeedPullInterval"/>, an election pulls what every feed
/// partition changed since the last pull. Hosts on this silo reach the view at once (the host grain
/// writes into it), so the pull only matters with several silos.
/// </summary>
public sealed partial class PlacementFeedReader(PlacementView view, IOptions<PlacementOptions> options, ILogger<PlacementFeedReader> logger)
{
    private readonly object _gate = new();
    private readonly (Guid Epoch, long Version)[] _cursors = new (Guid, long)[options.Value.FeedPartitions];
    private Task _pull = Task.CompletedTask;
    private long _nextPullAt;
    private bool _filled;

    /// <summary>
    /// Starts a pull when one is due and returns it; elections do not wait for a pull in flight once the
    /// view has been filled once.
    /// </summary>
    public Task PullIfDue(IGrainFactory grains)
    {
        lock (_gate)
        {
            if (!_pull.IsCompleted)
            {
                return _filled ? Task.CompletedTask : _pull;
            }

            if (Environment.TickCount64 < _nextPullAt)
            {
                return Task.CompletedTask;
            }

            _nextPullAt = long.MaxValue;
            _pull = PullAll(grains);
            return _pull;
        }
    }

    private async Task PullAll(IGrainFactory grains)
    {
        var changed = 0;
        try
        {
            var pages = await Task.WhenAll(Enumerable.Range(0, _cursors.Length).Select(partition =>
                grains.Ref<IPlacementFeedGrain>(PlacementKeys.Feed(partition)).Changes(_cursors[partition].Epoch, _cursors[partition].Version)));
            for (var partition = 0; partition < pages.Length; partition++)
            {
                foreach (var entry in pages[partition].Entries)
                {
                    changed += view.Upsert(entry.Snapshot, entry.Stamp) ? 1 : 0;
                }

                _cursors[partition] = (pages[partition].Epoch, pages[partition].Version);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The view stays as it was; the next election tries again after the interval.
            LogPullFailed(logger, ex);
        }
        finally
        {
            lock (_gate)
            {
                _filled = true;
                _nextPullAt = Environment.TickCount64 + (long)options.Value.FeedPullInterval.TotalMilliseconds;
            }
        }

        if (changed > 0)
        {
            LogPulled(logger, changed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling host updates for the placement view failed")]
    private static partial void LogPullFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The placement view took {Count} host updates from other silos")]
    private static partial void LogPulled(ILogger logger, int count);
}
