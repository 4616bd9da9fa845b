using Bogus;
using OrleansCloud.Common;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tests.Tenants;

public sealed class TenantStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    private static TenantState Tenant(int vcpus = 8, long ramMb = 16384, long diskGb = 200, int vms = 10) =>
        new() { Exists = true, Name = "t", Limits = new ResourceAmount(vcpus, ramMb, diskGb, vms) };

    private static HoldRequest Hold(string taskId, int cpu, string? name = null, TimeSpan? ttl = null) =>
        new(taskId, new ResourceAmount(cpu, cpu * 1024L, 10, 1), ttl ?? Ttl, "vm", name ?? taskId);

    [Fact]
    public void TryHold_WhenItFits_ReservesAndCountsAsHeld()
    {
        var tenant = Tenant();

        var hold = tenant.TryHold(Hold("t1", 2), T0);

        Assert.True(hold.IsSuccess);
        Assert.Equal(new ResourceAmount(2, 2048, 10, 1), tenant.HeldAt(T0));
        Assert.Equal(ResourceAmount.Zero, tenant.Used);
    }

    [Fact]
    public void TryHold_WhenQuotaExceeded_ReturnsQuotaExceededAndReservesNothing()
    {
        var tenant = Tenant(vcpus: 4);
        Assert.True(tenant.TryHold(Hold("t1", 3), T0).IsSuccess);

        var second = tenant.TryHold(Hold("t2", 2), T0);

        Assert.Equal(ErrorCodes.QuotaExceeded, second.Error?.Code);
        Assert.Single(tenant.Holds);
        Assert.False(tenant.Names.ContainsKey("vm:t2"));
    }

    [Fact]
    public void TryHold_SameTaskTwice_IsIdempotent()
    {
        var tenant = Tenant(vcpus: 2);

        var first = tenant.TryHold(Hold("t1", 2), T0);
        var again = tenant.TryHold(Hold("t1", 2), T0);

        Assert.True(again.IsSuccess);
        Assert.Equal(first.Value, again.Value);
        Assert.Equal(2, tenant.HeldAt(T0).Vcpus);
    }

    [Fact]
    public void TryHold_WhenNameTaken_ReturnsConflict()
    {
        var tenant = Tenant();
        tenant.TryHold(Hold("t1", 1, name: "web"), T0);

        var clash = tenant.TryHold(Hold("t2", 1, name: "web"), T0);

        Assert.Equal(ErrorCodes.Conflict, clash.Error?.Code);
    }

    [Fact]
    public void ExpiredHold_NoLongerCounts_AndIsSweptWithItsName()
    {
        var tenant = Tenant(vcpus: 2);
        tenant.TryHold(Hold("t1", 2, name: "web"), T0);
        var later = T0 + Ttl + TimeSpan.FromSeconds(1);

        Assert.Equal(ResourceAmount.Zero, tenant.HeldAt(later));
        Assert.True(tenant.SweepExpired(later));
        Assert.Empty(tenant.Holds);
        Assert.True(tenant.TryHold(Hold("t2", 2, name: "web"), later).IsSuccess);
    }

    [Fact]
    public void Commit_MovesHoldToUsage_AndIsIdempotent()
    {
        var tenant = Tenant();
        tenant.TryHold(Hold("t1", 2, name: "web"), T0);

        Assert.True(tenant.Commit("t1", "vm-1", T0).IsSuccess);
        Assert.True(tenant.Commit("t1", "vm-1", T0).IsSuccess);

        Assert.Equal(new ResourceAmount(2, 2048, 10, 1), tenant.Used);
        Assert.Equal(ResourceAmount.Zero, tenant.HeldAt(T0));
        Assert.Equal("vm-1", tenant.Names["vm:web"]);
    }

    [Fact]
    public void Commit_AfterExpiry_WhenSomeoneElseTookTheRoom_IsRefused()
    {
        var tenant = Tenant(vcpus: 2);
        tenant.TryHold(Hold("t1", 2), T0);
        var later = T0 + Ttl + TimeSpan.FromSeconds(1);
        Assert.True(tenant.TryHold(Hold("t2", 2), later).IsSuccess);

        var late = tenant.Commit("t1", "vm-1", later);

        Assert.Equal(ErrorCodes.QuotaExceeded, late.Error?.Code);
        Assert.Equal(ResourceAmount.Zero, tenant.Used);
    }

    [Fact]
    public void ReleaseUsage_GivesBackTheAmountAndTheName()
    {
        var tenant = Tenant();
        tenant.TryHold(Hold("t1", 2, name: "web"), T0);
        tenant.Commit("t1", "vm-1", T0);

        Assert.True(tenant.ReleaseUsage("vm-1"));
        Assert.False(tenant.ReleaseUsage("vm-1"));

        Assert.Equal(ResourceAmount.Zero, tenant.Used);
        Assert.False(tenant.Names.ContainsKey("vm:web"));
    }

    [Fact]
    public void RandomOperations_NeverPushUsagePlusHoldsPastTheLimits()
    {
        var faker = new Faker { Random = new Randomizer(20261124) };
        var tenant = Tenant(vcpus: 16, ramMb: 32768, diskGb: 300, vms: 6);
        var now = T0;
        var taskIds = Enumerable.Range(0, 40).Select(i => $"t{i}").ToArray();
        for (var step = 0; step < 5000; step++)
        {
            now += TimeSpan.FromSeconds(faker.Random.Int(0, 90));
            var taskId = faker.PickRandom(taskIds);
            switch (faker.Random.Int(0, 4))
            {
                case 0:
                case 1:
                    tenant.TryHold(new HoldRequest(taskId, new ResourceAmount(faker.Random.Int(1, 6), faker.Random.Int(256, 8192), faker.Random.Int(1, 80), 1),
                        TimeSpan.FromMinutes(faker.Random.Int(1, 15)), "vm", faker.Random.Bool() ? taskId : null), now);
                    break;
                case 2:
                    tenant.Commit(taskId, "vm-" + taskId + "-" + step, now);
                    break;
                case 3:
                    tenant.Release(taskId);
                    break;
                default:
                    if (tenant.Committed.Count > 0)
                    {
                        tenant.ReleaseUsage(faker.PickRandom(tenant.Committed.Keys.ToList()));
                    }

                    break;
            }

            Assert.True((tenant.Used + tenant.HeldAt(now)).FitsWithin(tenant.Limits), $"step {step}: limits exceeded");
        }
    }

    [Fact]
    public void Used_KeptUpToDate_EqualsTheSumOfTheCommittedResources_AfterEveryChange()
    {
        // Used is summed once and then adjusted by each change: a random run of holds, commits, resizes,
        // releases and expiries, checked against a fresh sum after every step (and on a copy, which sums anew).
        var random = new Randomizer(1729);
        var tenant = Tenant(vcpus: 400, ramMb: 400 * 1024, diskGb: 40_000, vms: 400);
        var now = T0;
        var committed = new List<(string Task, string Resource)>();
        for (var step = 0; step < 3_000; step++)
        {
            var taskId = $"t{step}";
            switch (random.Number(0, 5))
            {
                case 0 or 1:
                    if (tenant.TryHold(Hold(taskId, random.Number(1, 4), ttl: TimeSpan.FromSeconds(random.Number(1, 30))), now).IsSuccess
                        && random.Bool(0.8f))
                    {
                        var resource = $"vm-{step}";
                        if (tenant.Commit(taskId, resource, now).IsSuccess)
                        {
                            committed.Add((taskId, resource));
                        }
                    }

                    break;
                case 2 when committed.Count > 0:
                    var (_, resized) = committed[random.Number(0, committed.Count - 1)];
                    var cpu = random.Number(1, 6);
                    tenant.CommitChange(taskId, resized, new ResourceAmount(cpu, cpu * 1024L, random.Number(10, 40), 1), now);
                    break;
                case 3 when committed.Count > 0:
                    var index = random.Number(0, committed.Count - 1);
                    Assert.True(tenant.ReleaseUsage(committed[index].Resource));
                    committed.RemoveAt(index);
                    break;
                case 4:
                    now += TimeSpan.FromSeconds(random.Number(1, 20));
                    tenant.SweepExpired(now);
                    break;
                default:
                    tenant.Release($"t{random.Number(0, step)}");
                    break;
            }

            var expected = ResourceAmount.Sum(tenant.Committed.Values.Select(c => c.Amount));
            Assert.Equal(expected, tenant.Used);
            if (step % 500 == 0)
            {
                Assert.Equal(expected, tenant.Clone().Used);
            }
        }

        Assert.True(committed.Count > 50, $"the run kept only {committed.Count} resources");
    }
}
