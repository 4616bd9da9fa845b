using System.Text.Json;
using OrleansCloud.Common;
using OrleansCloud.Grains.Hosts;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Grains.Tenants;
using OrleansCloud.Hosts;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tests.Common;

/// <summary>
/// The copies a group commit writes: every stored property copied, collections new (a later change of
/// the live state must not reach the copy being written). The property lists make a new stored
/// property fail here until its Clone copies it.
/// </summary>
public sealed class StateCloneTests
{
    [Fact]
    public void TenantState_CloneCopiesEveryStoredProperty_IntoNewCollections()
    {
        Assert.Equal(
            ["ClearedJobs", "Committed", "CreatedAt", "Exists", "Expired", "Holds", "Jobs", "JobsIndexed", "LegacyCommitted", "LegacyHolds", "LegacyNames", "Limits", "Name", "Tasks", "Version"],
            StoredProperties<TenantState>());
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var hold = new QuotaHold("tsk-1", new ResourceAmount(1, 2, 3, 1), now, "vm", "web");
        var state = new TenantState
        {
            Exists = true, Name = "t", Limits = new ResourceAmount(8, 8, 8, 8), CreatedAt = now, Version = 3,
            Holds = new() { ["tsk-1"] = hold },
            Committed = new() { ["vm-1"] = new CommittedResource("vm-1", "vm", "db", new ResourceAmount(1, 1, 1, 1), "tsk-0") },
            Tasks = ["tsk-0"], Expired = [hold], Jobs = ["job-1"], JobsIndexed = true, ClearedJobs = ["job-1"],
            LegacyHolds = new() { ["tsk-9"] = hold }, LegacyNames = new() { ["vm:x"] = "vm-9" },
            LegacyCommitted = new() { ["vm-9"] = new CommittedResource("vm-9", "vm", "x", new ResourceAmount(1, 1, 1, 1), "tsk-8") },
        };

        var clone = state.Clone();

        Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(clone));
        state.Holds.Clear();
        state.Committed.Clear();
        state.Tasks.Clear();
        state.Expired.Clear();
        state.ClearedJobs.Clear();
        state.LegacyHolds.Clear();
        state.LegacyCommitted.Clear();
        state.LegacyNames.Clear();
        Assert.Single(clone.LegacyHolds);
        Assert.Single(clone.LegacyCommitted);
        Assert.Single(clone.LegacyNames);
        Assert.Single(clone.Holds);
        Assert.Single(clone.Committed);
        Assert.Equal("vm-1", clone.Names["vm:db"]);
        Assert.Single(clone.Tasks);
        Assert.Single(clone.Expired);
        Assert.Single(clone.ClearedJobs);
    }

    [Fact]
    public void HostGrainState_CloneCopiesEveryStoredProperty_IntoNewCollections()
    {
        Assert.Equal(
            ["AllocationPools", "Allocations", "Area", "Capabilities", "Capacity", "ClaimPools", "Claims", "Driver", "Known", "LegacyAllocationPools", "LegacyAllocations", "State"],
            StoredProperties<HostGrainState>());
        var state = new HostGrainState
        {
            Known = true, Area = "a", Driver = "libvirt", Capacity = new ResourceAmount(4, 4, 4, 4), Capabilities = ["vm"], State = HostState.Up,
            Claims = new() { ["tsk-1"] = new ResourceAmount(1, 1, 1, 1) },
            Allocations = new() { ["vm-1"] = new ResourceAmount(1, 1, 1, 1) },
            ClaimPools = new() { ["tsk-1"] = "p" },
            AllocationPools = new() { ["vm-1"] = "p" },
            LegacyAllocations = new() { ["vm-9"] = new ResourceAmount(1, 1, 1, 1) },
            LegacyAllocationPools = new() { ["vm-9"] = "p" },
        };

        var clone = state.Clone();

        Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(clone));
        state.Claims.Clear();
        state.Allocations.Clear();
        state.ClaimPools.Clear();
        state.AllocationPools.Clear();
        state.Capabilities.Clear();
        state.LegacyAllocations.Clear();
        state.LegacyAllocationPools.Clear();
        Assert.Single(clone.LegacyAllocations);
        Assert.Single(clone.LegacyAllocationPools);
        Assert.Single(clone.Claims);
        Assert.Single(clone.Allocations);
        Assert.Single(clone.ClaimPools);
        Assert.Single(clone.AllocationPools);
        Assert.Single(clone.Capabilities);
    }

    [Fact]
    public void TaskWatchdogState_CloneCopiesItsList()
    {
        Assert.Equal(["Tasks"], StoredProperties<TaskWatchdogState>());
        var state = new TaskWatchdogState { Tasks = ["tsk-1"] };

        var clone = state.Clone();
        state.Tasks.Clear();

        Assert.Equal(["tsk-1"], clone.Tasks);
    }

    private static IEnumerable<string> StoredProperties<T>() =>
        typeof(T).GetProperties().Where(p => p.GetCustomAttributes(typeof(IdAttribute), false).Length > 0).Select(p => p.Name).Order(StringComparer.Ordinal);
}
