using Microsoft.Extensions.Logging;
using Orleans.Metadata;
using Orleans.Streams;

namespace OrleansCloud.Silo.Streams;

/// <summary>
/// Divides the stream queues among the silos that read streams: the active silos whose grain manifest
/// lists the marker grain type (a control-plane grain the streams deliver to). Orleans' default balancer
/// divides them over the consistent ring of every active silo, host agents included; an agent runs no
/// stream provider, so the queues it was given were never read, and the events of the tenants hashed onto
/// them never reached their feeds (until the queue was full and refused them).
/// Queues go round-robin over the readers in address order, so every reader computes the same split. While
/// the membership or the manifests settle, two silos may briefly both read a queue (each message is still
/// taken once) or none may (its messages wait in the queue): never a queue left unread once they agree.
/// </summary>
public sealed partial class StreamReaderQueueBalancer(
    IServiceProvider services,
    IClusterManifestProvider manifests,
    GrainType marker,
    ILogger<StreamReaderQueueBalancer> logger) : QueueBalancerBase(services, logger)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<QueueId> _queues = [];
    private IReadOnlySet<SiloAddress>? _active;
    private IReadOnlyList<QueueId> _mine = [];
    private Task _manifestUpdates = Task.CompletedTask;

    /// <summary>A factory for <c>ConfigurePartitionBalancing</c>: the readers are the silos that can host <typeparamref name="TMarker"/>.</summary>
    public static IStreamQueueBalancer Create<TMarker>(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<StreamReaderQueueBalancer>(
            services, services.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(TMarker)));

    public override IEnumerable<QueueId> GetMyQueues()
    {
        lock (_lock)
        {
            return _mine;
        }
    }

    public override async Task Initialize(IStreamQueueMapper queueMapper)
    {
        lock (_lock)
        {
            _queues = [.. queueMapper.GetAllQueues().Order()];
        }

        Rebalance(notify: false);
        _manifestUpdates = FollowManifests();
        await base.Initialize(queueMapper);
    }

    public override async Task Shutdown()
    {
        await base.Shutdown();
        await _manifestUpdates.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        lock (_lock)
        {
            _active = activeSilos;
        }

        Rebalance(notify: true);
    }

    /// <summary>The queues this silo reads among <paramref name="readers"/> (this silo counted in): the i-th of every n.</summary>
    public static IReadOnlyList<QueueId> ShareOf(SiloAddress self, IEnumerable<SiloAddress> readers, IReadOnlyList<QueueId> queues)
    {
        var ordered = readers.Append(self).Distinct().Order().ToList();
        var index = ordered.IndexOf(self);
        return [.. queues.Where((_, i) => i % ordered.Count == index)];
    }

    /// <summary>A manifest arrives after its silo turns active: each one can add a reader.</summary>
    private async Task FollowManifests()
    {
        await Task.Yield();
        try
        {
            await foreach (var _ in manifests.Updates.WithCancellation(Cancellation))
            {
                Rebalance(notify: true);
            }
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
        }
    }

    private void Rebalance(bool notify)
    {
        var silos = manifests.Current.Silos;
        IReadOnlyList<QueueId> mine;
        int readers;
        lock (_lock)
        {
            // Before the first membership snapshot this silo knows only itself, and reads every queue.
            var candidates = _active ?? (IReadOnlySet<SiloAddress>)new HashSet<SiloAddress>();
            var readerSilos = candidates.Where(s => silos.TryGetValue(s, out var manifest) && manifest.Grains.ContainsKey(marker)).ToList();
            mine = ShareOf(SiloAddress, readerSilos, _queues);
            readers = readerSilos.Append(SiloAddress).Distinct().Count();
            if (mine.SequenceEqual(_mine))
            {
                return;
            }

            _mine = mine;
        }

        LogBalanced(Logger, mine.Count, _queues.Count, readers);
        if (notify)
        {
            _ = Notify();
        }
    }

    private async Task Notify()
    {
        try
        {
            await NotifyListeners();
        }
        catch (Exception ex)
        {
            LogNotifyFailed(Logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream queues: the pulling agents could not be told of a new split")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream queues: this silo reads {Mine} of {All}, shared among {Readers} silo(s) that run streams")]
    private static partial void LogBalanced(ILogger logger, int mine, int all, int readers);
}
