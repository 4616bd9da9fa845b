using Orleans.Core.Internal;
using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Grains.Tests.Cluster;
using OrleansCloud.Hosts;
using OrleansCloud.Tenants;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Tenants;

/// <summary>
/// A tenant's quota ledger and a host's allocations keep one entry per live VM in sealed maps: what the
/// grain writes stays small however many VMs it holds, and after a reactivation (and after a crash
/// between a seal and the state's write) the ledger reads exactly as before.
/// </summary>
public sealed class SealedLedgerTests(FaultyStorageClusterFixture fixture) : IClassFixture<FaultyStorageClusterFixture>
{
    private static readonly ResourceAmount Small = new(1, 512, 5, 1);
    private readonly IClusterClient _grains = fixture.Client;

    [Fact]
    public async Task ATenantWithManyVms_StoresOnlyItsOverlay_AndReadsWholeAfterReactivation()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(10_000, 10_000_000, 100_000, 10_000));
        var tenant = _grains.GetGrain<ITenantGrain>(tenantId);
        for (var i = 0; i < 300; i++)
        {
            Assert.True((await tenant.PlaceHold(new HoldRequest($"tsk-{i}", Small, TimeSpan.FromHours(1), "vm", $"web-{i}"))).IsSuccess);
            Assert.True((await tenant.CommitHold($"tsk-{i}", $"vm-{i}")).IsSuccess);
        }

        var stored = await Stored<TenantState>("tenant", tenant.GetGrainId());
        Assert.True(stored.Committed.SealedBuckets().Any() || stored.Committed.RunCount > 0, "the committed map was never spilled or sealed");
        Assert.True(stored.Committed.Pending <= 2 * Grains.Common.SealedChunks.SpillThreshold, $"the stored overlay holds {stored.Committed.Pending} entries");

        await Reactivate(tenant);
        Assert.Equal(Times(300), (await tenant.GetQuota()).Value!.Used);
        Assert.Equal("vm-7", await tenant.FindResource("vm", "web-7"));

        for (var i = 0; i < 300; i += 2)
        {
            await tenant.ReleaseUsage($"vm-{i}");
        }

        await Reactivate(tenant);
        Assert.Equal(Times(150), (await tenant.GetQuota()).Value!.Used);
        Assert.Null(await tenant.FindResource("vm", "web-8"));
        Assert.Equal("vm-9", await tenant.FindResource("vm", "web-9"));
        Assert.Equal(150, (await tenant.ListResources("vm")).Count);

        // A released name is free again; a kept one is not.
        Assert.True((await tenant.PlaceHold(new HoldRequest("tsk-again", Small, TimeSpan.FromHours(1), "vm", "web-8"))).IsSuccess);
        Assert.Equal(ErrorCodes.Conflict, (await tenant.PlaceHold(new HoldRequest("tsk-dup", Small, TimeSpan.FromHours(1), "vm", "web-9"))).Error?.Code);
    }

    [Fact]
    public async Task ACrashBetweenASealAndTheStateWrite_LosesNothing()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(10_000, 10_000_000, 100_000, 10_000));
        var tenant = _grains.GetGrain<ITenantGrain>(tenantId);

        // The first write of the tenant that names a run or a sealed chunk is lost: the run or chunks are
        // written, the state is not.
        fixture.Storage.FailNextWrite((grain, state) =>
            grain == tenant.GetGrainId() && state is TenantState s && (s.Committed.SealedBuckets().Any() || s.Committed.RunCount > 0));
        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // Each step is idempotent under its task id, as the saga retries it.
                    Assert.True((await tenant.PlaceHold(new HoldRequest($"tsk-{i}", Small, TimeSpan.FromHours(1), "vm", $"db-{i}"))).IsSuccess);
                    Assert.True((await tenant.CommitHold($"tsk-{i}", $"vm-{i}")).IsSuccess);
                    break;
                }
                catch (Exception) when (attempt < 3)
                {
                    failures++;
                }
            }
        }

        Assert.Equal(1, failures);
        await Reactivate(tenant);
        Assert.Equal(Times(200), (await tenant.GetQuota()).Value!.Used);
        Assert.Equal(200, (await tenant.ListResources("vm")).Count);
    }

    [Fact]
    public async Task AHostWithManyVms_StoresOnlyItsOverlay_AndReadsWholeAfterReactivation()
    {
        var capability = NewId("cap");
        var name = NewId("sealed-host");
        var host = _grains.GetGrain<IHostGrain>(name);
        var heartbeat = new HostHeartbeat(name, "default", "simulated", new ResourceAmount(10_000, 10_000_000, 100_000, 10_000), [capability], 0,
            fixture.Clock.GetUtcNow(), [new StoragePoolInfo("local", "/l", 100_000, 100_000)]);
        await host.Heartbeat(heartbeat);
        for (var i = 0; i < 300; i++)
        {
            Assert.True((await host.TryClaim(new CapacityClaim($"c-{i}", Small, [capability], "local"))).IsSuccess);
            Assert.True((await host.ConfirmClaim($"c-{i}", $"vm-{i}")).IsSuccess);
        }

        var stored = await Stored<HostGrainState>("host", host.GetGrainId());
        Assert.True(stored.Allocations.SealedBuckets().Any() || stored.Allocations.RunCount > 0, "the allocations were never spilled or sealed");
        Assert.True(stored.Allocations.Pending <= 2 * Grains.Common.SealedChunks.SpillThreshold, $"the stored overlay holds {stored.Allocations.Pending} entries");

        for (var i = 0; i < 300; i += 3)
        {
            await host.ReleaseAllocation($"vm-{i}");
        }

        // The totals kept up to date by each change, then summed afresh by a new activation: the same.
        Assert.Equal(Times(200), (await host.Get()).Value!.Allocated);
        Assert.Equal([100_000L - 200 * 5], (await host.Get()).Value!.StoragePools!.Select(p => p.RoomGb));
        await Reactivate(host);
        await host.Heartbeat(heartbeat); // reported pools are not stored: the next heartbeat brings them
        Assert.Equal(Times(200), (await host.Get()).Value!.Allocated);
        Assert.Equal(200, (await host.Allocated()).Count);
        Assert.Equal([100_000L - 200 * 5], (await host.Get()).Value!.StoragePools!.Select(p => p.RoomGb));
        await host.SetState(HostState.Maintenance);
    }

    private static ResourceAmount Times(int count) => ResourceAmount.Sum(Enumerable.Repeat(Small, count));

    private async Task<TState> Stored<TState>(string stateName, GrainId grain)
        where TState : new()
    {
        var stored = new GrainState<TState>();
        await fixture.Storage.ReadStateAsync(stateName, grain, stored);
        return stored.State!;
    }

    private static async Task Reactivate(IAddressable grain)
    {
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(100);
    }
}
