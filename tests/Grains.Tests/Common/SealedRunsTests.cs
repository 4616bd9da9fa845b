using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansCloud.Common;
using OrleansCloud.Grains.Common;
using OrleansCloud.Grains.Tenants;

namespace OrleansCloud.Grains.Tests.Common;

/// <summary>
/// The three levels of a sealed map (chunks, runs, overlay) through <see cref="SealedChunks"/> on a storage
/// that keeps rows as bytes: random sets and removes, changes that arrive while a run or a chunk is being
/// written, crashes between a spill or merge and the state's write, and crashes after it. The map always
/// reads as a plain dictionary of what was durable, spills and merges both happen, and no state write
/// carries more than the spill threshold and the changes that came in during its own writes.
/// </summary>
public sealed class SealedRunsTests
{
    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(TenantState).Assembly).AddAssembly(typeof(ResourceAmount).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Theory]
    [InlineData(1, 400)]
    [InlineData(2, 400)]
    [InlineData(3, 3000)]
    [InlineData(4, 3000)]
    public async Task RandomChangesSpillsMergesAndCrashes_AlwaysReadAsTheDictionary(int seed, int keys)
    {
        var random = new Random(seed);
        var storage = new BytesStorage(_serializer);
        var chunks = new SealedChunks(storage, "test");
        var map = new SealedMap<ResourceAmount>();
        var expected = new Dictionary<string, ResourceAmount>(StringComparer.Ordinal);
        var durable = _serializer.SerializeToArray(map.Snapshot());
        var expectedDurable = new Dictionary<string, ResourceAmount>(expected, StringComparer.Ordinal);
        int spills = 0, merges = 0, crashesBeforeTheState = 0, largestWrite = 0;

        void Change()
        {
            if (random.Next(100) < 65 || expected.Count == 0)
            {
                var key = $"vm-{random.Next(keys)}";
                var value = new ResourceAmount(random.Next(1, 8), random.Next(1, 8) * 512, random.Next(1, 50), 1);
                map[key] = value;
                expected[key] = value;
            }
            else
            {
                var key = expected.Keys.ElementAt(random.Next(expected.Count));
                Assert.True(map.Remove(key));
                expected.Remove(key);
            }
        }

        async Task Reload()
        {
            map = _serializer.Deserialize<SealedMap<ResourceAmount>>(durable)!;
            chunks = new SealedChunks(storage, "test");
            await chunks.Load("m", map);
            expected = new Dictionary<string, ResourceAmount>(expectedDurable, StringComparer.Ordinal);
        }

        for (var step = 0; step < 12_000; step++)
        {
            var roll = random.Next(100);
            if (roll < 90)
            {
                Change();
            }
            else if (roll < 99)
            {
                // A state write: what must be durable first (a run or chunks), with the grain's other calls
                // changing the map while those rows are written, then the state itself, or a crash before it.
                var (runBefore, generationsBefore) = (map.NextRun, map.Generations.Sum());
                storage.DuringWrite = () =>
                {
                    for (var i = random.Next(3); i > 0; i--)
                    {
                        Change();
                    }
                };
                await chunks.Seal("m", map);
                storage.DuringWrite = null;
                spills += map.NextRun > runBefore && map.RunCount > 0 ? 1 : 0;
                merges += map.Generations.Sum() > generationsBefore ? 1 : 0;
                if (random.Next(10) == 0)
                {
                    crashesBeforeTheState++;
                    await Reload();
                }
                else
                {
                    largestWrite = Math.Max(largestWrite, map.Pending);
                    durable = _serializer.SerializeToArray(map.Snapshot());
                    expectedDurable = new Dictionary<string, ResourceAmount>(expected, StringComparer.Ordinal);
                }
            }
            else
            {
                // A crash: the changes since the last state write were never acknowledged, and go.
                await Reload();
            }

            Assert.Equal(expected.Count, map.Count);
        }

        await Reload();
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.True(spills > 10, $"only {spills} spills");
        Assert.True(merges > 3, $"only {merges} merges");
        Assert.True(crashesBeforeTheState > 10, $"only {crashesBeforeTheState} crashes between a spill or merge and the state");

        // A merge writes up to 16 chunks, each while up to two changes arrive.
        Assert.True(largestWrite <= SealedChunks.SpillThreshold * 2 + 2 * SealedMap<ResourceAmount>.BucketCount,
            $"a state write carried {largestWrite} entries");
    }

    [Fact]
    public async Task AKeyRemovedAfterARunHeldIt_StaysRemoved_AndOneSetAgainKeepsItsNewValue()
    {
        var storage = new BytesStorage(_serializer);
        var chunks = new SealedChunks(storage, "t");
        var map = new SealedMap<ResourceAmount>();
        for (var i = 0; i < 200; i++)
        {
            map[$"k{i}"] = new ResourceAmount(1, 1, 1, 1);
        }

        // A large map first sealed into chunks, then a few changes spilled into a run.
        await chunks.Seal("m", map);
        Assert.True(map.SealedBuckets().Any());
        for (var i = 0; i < SealedChunks.SpillThreshold; i++)
        {
            map[$"r{i}"] = new ResourceAmount(2, 2, 2, 2);
        }

        await chunks.Seal("m", map);
        Assert.Equal(1, map.RunCount);
        Assert.Equal(0, map.Pending);

        Assert.True(map.Remove("r3"));
        Assert.True(map.Remove("k5"));
        map["r4"] = new ResourceAmount(3, 3, 3, 3);
        var stored = _serializer.SerializeToArray(map.Snapshot());

        var reloaded = _serializer.Deserialize<SealedMap<ResourceAmount>>(stored)!;
        await new SealedChunks(storage, "t").Load("m", reloaded);
        Assert.False(reloaded.ContainsKey("r3"));
        Assert.False(reloaded.ContainsKey("k5"));
        Assert.Equal(new ResourceAmount(3, 3, 3, 3), reloaded["r4"]);
        Assert.Equal(new ResourceAmount(2, 2, 2, 2), reloaded["r5"]);
        Assert.Equal(200 + SealedChunks.SpillThreshold - 2, reloaded.Count);
    }

    /// <summary>Rows kept as serialized bytes with versions, as a database keeps them; a hook runs while each write is in flight.</summary>
    private sealed class BytesStorage(Serializer serializer) : IGrainStorage
    {
        private readonly Dictionary<GrainId, (byte[] Bytes, string ETag)> _rows = [];

        public Action? DuringWrite { get; set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_rows.TryGetValue(grainId, out var row))
            {
                grainState.State = serializer.Deserialize<T>(row.Bytes);
                grainState.ETag = row.ETag;
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        // Completes on the caller's thread, as a grain's turns do: the hook's changes land between the row's
        // content being taken and the map learning that the row is durable.
        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var bytes = serializer.SerializeToArray(grainState.State);
            var current = _rows.TryGetValue(grainId, out var row) ? row.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"{grainId}: stored version {current}, written from {grainState.ETag}");
            }

            DuringWrite?.Invoke();
            var etag = Guid.NewGuid().ToString("N");
            _rows[grainId] = (bytes, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();
    }
}
