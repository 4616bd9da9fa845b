using OrleansCloud.Common;
using OrleansCloud.Grains.Vms;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Tests.Vms;

public sealed class VmLifecycleTests
{
    // Written out independently of the production table, so a changed row fails here.
    private static readonly Dictionary<(VmState, VmTrigger), VmState> Expected = new()
    {
        [(VmState.Pending, VmTrigger.Provision)] = VmState.Provisioning,
        [(VmState.Pending, VmTrigger.ProvisionFailed)] = VmState.Failed,
        [(VmState.Provisioning, VmTrigger.ProvisionSucceeded)] = VmState.Running,
        [(VmState.Provisioning, VmTrigger.ProvisionFailed)] = VmState.Failed,
        [(VmState.Running, VmTrigger.Stopped)] = VmState.Stopped,
        [(VmState.Running, VmTrigger.Delete)] = VmState.Deleting,
        [(VmState.Stopped, VmTrigger.Started)] = VmState.Running,
        [(VmState.Stopped, VmTrigger.Delete)] = VmState.Deleting,
        [(VmState.Failed, VmTrigger.Delete)] = VmState.Deleting,
        [(VmState.Deleting, VmTrigger.DeleteSucceeded)] = VmState.Deleted,
        [(VmState.Deleting, VmTrigger.DeleteFailed)] = VmState.Failed,
        [(VmState.Running, VmTrigger.Rebooted)] = VmState.Running,
        [(VmState.Stopped, VmTrigger.Resized)] = VmState.Stopped,
        [(VmState.Running, VmTrigger.Migrated)] = VmState.Running,
        [(VmState.Stopped, VmTrigger.Migrated)] = VmState.Stopped,
        [(VmState.Running, VmTrigger.InterfacesChanged)] = VmState.Running,
        [(VmState.Stopped, VmTrigger.InterfacesChanged)] = VmState.Stopped,
        [(VmState.Running, VmTrigger.Lost)] = VmState.Failed,
        [(VmState.Stopped, VmTrigger.Lost)] = VmState.Failed,
    };

    public static TheoryData<VmState, VmTrigger> EveryPair()
    {
        var data = new TheoryData<VmState, VmTrigger>();
        foreach (var state in Enum.GetValues<VmState>())
        {
            foreach (var trigger in Enum.GetValues<VmTrigger>())
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Next_ForEveryStateAndTrigger_FollowsTheTableOrRefuses(VmState state, VmTrigger trigger)
    {
        var result = VmLifecycle.Next(state, trigger);

        if (Expected.TryGetValue((state, trigger), out var to))
        {
            Assert.True(result.IsSuccess);
            Assert.Equal(to, result.Value);
        }
        else
        {
            Assert.False(result.IsSuccess);
            Assert.Equal(ErrorCodes.InvalidStateTransition, result.Error!.Code);
        }
    }

    [Fact]
    public void Table_HasExactlyTheExpectedRows() =>
        Assert.Equal(Expected.OrderBy(e => e.Key), VmLifecycle.Transitions.OrderBy(e => e.Key));

    [Fact]
    public void Deleted_IsTerminal() =>
        Assert.DoesNotContain(VmLifecycle.Transitions.Keys, k => k.From == VmState.Deleted);

    [Fact]
    public void Changes_AreTheTriggersThatLeaveASettledVm_NotCreationItsEndOrALoss() =>
        Assert.Equal(
            [VmTrigger.Started, VmTrigger.Stopped, VmTrigger.Delete, VmTrigger.Rebooted, VmTrigger.Resized, VmTrigger.Migrated, VmTrigger.InterfacesChanged],
            VmLifecycle.Changes.Order());
}
