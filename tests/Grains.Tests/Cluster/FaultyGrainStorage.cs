using Orleans.Storage;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// Grain storage that fails the writes a test picks, as a crash between a side effect and the write
/// after it would: the grain's memory is then ahead of storage and the write never happened.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly List<Func<GrainId, object, bool>> _failNext = [];

    /// <summary>Fails the next write that <paramref name="matches"/> (grain, state about to be written).</summary>
    public void FailNextWrite(Func<GrainId, object, bool> matches)
    {
        lock (_lock)
        {
            _failNext.Add(matches);
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_lock)
        {
            var fault = _failNext.FindIndex(f => f(grainId, grainState.State!));
            if (fault >= 0)
            {
                _failNext.RemoveAt(fault);
                throw new InvalidOperationException($"Injected: the write of {grainId} was lost.");
            }
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
