using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansCloud.Common;
using OrleansCloud.Grains.Common;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tests.Common;

/// <summary>
/// The sealed map against a plain dictionary: random sets and removes, seals whose chunks are written
/// while later changes arrive, and "crashes" that reload the map from its stored form (through the
/// Orleans serializer) plus the chunks its stored generations name. The map always reads as the
/// dictionary, and what it stores stays small however many entries it holds.
/// </summary>
public sealed class SealedMapTests
{
    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(TenantState).Assembly).AddAssembly(typeof(ResourceAmount).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void NamesInUse_AreNotStored_AndComeBackFromTheHoldsAndResources()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var state = new TenantState { Exists = true, Limits = new ResourceAmount(8, 8192, 100, 10) };
        Assert.True(state.TryHold(new HoldRequest("tsk-1", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "web"), now).IsSuccess);
        Assert.True(state.Commit("tsk-1", "vm-1", now).IsSuccess);
        Assert.True(state.TryHold(new HoldRequest("tsk-2", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "db"), now).IsSuccess);
        Assert.True(state.TryHold(new HoldRequest("tsk-3", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "gone"), now).IsSuccess);
        Assert.True(state.Release("tsk-3"));

        var loaded = _serializer.Deserialize<TenantState>(_serializer.SerializeToArray(state))!;

        Assert.Equal(state.Names.OrderBy(n => n.Key), loaded.Names.OrderBy(n => n.Key));
        Assert.Equal(2, loaded.Names.Count);
        Assert.Equal(ErrorCodes.Conflict, loaded.TryHold(new HoldRequest("tsk-4", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "web"), now).Error?.Code);
        Assert.Equal(ErrorCodes.Conflict, loaded.TryHold(new HoldRequest("tsk-5", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "db"), now).Error?.Code);
        Assert.True(loaded.TryHold(new HoldRequest("tsk-6", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "gone"), now).IsSuccess);
        Assert.True(loaded.ReleaseUsage("vm-1"));
        Assert.True(loaded.TryHold(new HoldRequest("tsk-7", new ResourceAmount(1, 512, 5, 1), TimeSpan.FromMinutes(5), "vm", "web"), now).IsSuccess);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomChangesSealsAndReloads_AlwaysReadAsTheDictionary(int seed)
    {
        var random = new Random(seed);
        var expected = new Dictionary<string, ResourceAmount>(StringComparer.Ordinal);
        var chunks = new Dictionary<(int Bucket, int Generation), Dictionary<string, ResourceAmount>>();
        var map = new SealedMap<ResourceAmount>();
        var storedMax = 0;
        for (var step = 0; step < 5000; step++)
        {
            var roll = random.Next(100);
            if (roll < 55 || expected.Count == 0)
            {
                var key = $"vm-{random.Next(800)}";
                var value = new ResourceAmount(random.Next(1, 8), random.Next(1, 8) * 512, random.Next(1, 50), 1);
                map[key] = value;
                expected[key] = value;
            }
            else if (roll < 90)
            {
                var key = expected.Keys.ElementAt(random.Next(expected.Count));
                Assert.True(map.Remove(key));
                expected.Remove(key);
            }
            else if (roll < 97)
            {
                // A seal: chunks written from the content as it stood, then changes arrive before the
                // state's write (the group commit's other calls), then the map learns the chunks are durable.
                var buckets = map.BucketsToSeal(SealedChunks.SpillThreshold);
                var sealing = buckets.Select(b => (Bucket: b, Generation: map.Generations[b] + 1, Content: map.BucketContent(b))).ToList();
                foreach (var (bucket, generation, content) in sealing)
                {
                    chunks[(bucket, generation)] = new(content, StringComparer.Ordinal);
                }

                for (var i = random.Next(4); i > 0 && expected.Count > 0; i--)
                {
                    var key = expected.Keys.ElementAt(random.Next(expected.Count));
                    if (random.Next(2) == 0)
                    {
                        map.Remove(key);
                        expected.Remove(key);
                    }
                    else
                    {
                        var value = new ResourceAmount(9, 9, 9, 9);
                        map[key] = value;
                        expected[key] = value;
                    }
                }

                foreach (var (bucket, generation, content) in sealing)
                {
                    map.Sealed(bucket, generation, content);
                }
            }
            else
            {
                // A crash: only the stored form survives, with the chunks it names.
                var stored = _serializer.SerializeToArray(map.Snapshot());
                storedMax = Math.Max(storedMax, stored.Length);
                map = _serializer.Deserialize<SealedMap<ResourceAmount>>(stored)!;
                foreach (var (bucket, generation) in map.SealedBuckets())
                {
                    map.Load(chunks[(bucket, generation)]);
                }
            }

            Assert.Equal(expected.Count, map.Count);
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.True(map.SealedBuckets().Any(), "nothing was ever sealed");

        // However many entries, a stored form holds at most the overlay (sealed at 64) plus the last few changes.
        Assert.True(storedMax < 64 * 2 * 40, $"a stored form took {storedMax} bytes");
    }

    [Fact]
    public void AKeyRemovedAfterItsBucketWasSealed_StaysRemovedAfterAReload()
    {
        var map = new SealedMap<string>();
        var key = "vm:web";
        map[key] = "vm-1";
        var bucket = SealedMap<string>.BucketOf(key);
        var content = map.BucketContent(bucket);
        map.Sealed(bucket, 1, content);
        Assert.Equal(0, map.Pending);

        map.Remove(key);
        Assert.Equal(1, map.Pending);
        var reloaded = _serializer.Deserialize<SealedMap<string>>(_serializer.SerializeToArray(map.Snapshot()))!;
        reloaded.Load(content);

        Assert.False(reloaded.ContainsKey(key));
        Assert.Equal(0, reloaded.Count);
    }

    [Fact]
    public void BucketsAreStable_AcrossProcesses()
    {
        // FNV-1a of the key: the same bucket in every process and version (string.GetHashCode is randomized).
        Assert.Equal(SealedMap<string>.BucketOf("vm-1"), SealedMap<string>.BucketOf(new string("vm-1".ToCharArray())));
        Assert.Equal(
            [6, 3, 0, 0],
            new[] { "vm-1", "vm-2", "vm-3", "tsk-0123456789abcdef" }.Select(SealedMap<string>.BucketOf));
    }

    [Fact]
    public void ATenantStoredBeforeTheSealedMaps_KeepsItsLedger()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var hold = new QuotaHold("tsk-2", new ResourceAmount(1, 512, 5, 1), now.AddMinutes(5), "vm", "db");
        var legacy = new TenantState
        {
            Exists = true, Limits = new ResourceAmount(8, 8192, 100, 10),
            LegacyHolds = new() { ["tsk-2"] = hold },
            LegacyCommitted = new() { ["vm-1"] = new CommittedResource("vm-1", "vm", "web", new ResourceAmount(2, 1024, 10, 1), "tsk-1") },
            LegacyNames = new() { ["vm:web"] = "vm-1", ["vm:db"] = "tsk-2" },
        };
        var state = _serializer.Deserialize<TenantState>(_serializer.SerializeToArray(legacy))!;

        Assert.True(state.UpgradeLegacyMaps());

        Assert.Equal(new ResourceAmount(2, 1024, 10, 1), state.Used);
        Assert.Equal(hold.Amount, state.HeldAt(now));
        Assert.Equal("vm-1", state.Names["vm:web"]);
        Assert.Equal("tsk-2", state.Names["vm:db"]);
        Assert.Empty(state.LegacyCommitted);
        Assert.True(state.Commit("tsk-2", "vm-2", now).IsSuccess);
        Assert.Equal(new ResourceAmount(3, 1536, 15, 2), state.Used);
        Assert.False(state.UpgradeLegacyMaps());
    }
}
