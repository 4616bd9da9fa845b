using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansCloud.Benchmarks;

/// <summary>
/// Grain storage that counts each write and its size in Orleans' binary format (what PostgreSQL stores),
/// by grain type, before handing it to the storage behind it.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner, IGrainStorageSerializer serializer) : IGrainStorage
{
    public sealed class Tally
    {
        public long Writes;
        public long Bytes;
        public long MaxBytes;
    }

    private ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);

    /// <summary>The tallies since the last call, by grain type; starts a new window.</summary>
    public IReadOnlyDictionary<string, Tally> TakeWindow() => Interlocked.Exchange(ref _tallies, new(StringComparer.Ordinal));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var size = serializer.Serialize(grainState.State).ToMemory().Length;
        var tally = _tallies.GetOrAdd(grainId.Type.ToString()!, _ => new Tally());
        Interlocked.Increment(ref tally.Writes);
        Interlocked.Add(ref tally.Bytes, size);
        long max;
        while (size > (max = Interlocked.Read(ref tally.MaxBytes)) && Interlocked.CompareExchange(ref tally.MaxBytes, size, max) != max)
        {
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
