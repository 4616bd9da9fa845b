using System.Collections.Frozen;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Vms;

/// <summary>The VM lifecycle as a table of (state, trigger) to state. Anything not listed is illegal.</summary>
public static class VmLifecycle
{
    public static readonly FrozenDictionary<(VmState From, VmTrigger Trigger), VmState> Transitions =
        new Dictionary<(VmState, VmTrigger), VmState>
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
        }.ToFrozenDictionary();

    /// <summary>
    /// The triggers a task may hold a VM for (BeginChange): those that take a settled VM (running or
    /// stopped) somewhere other than failed (a loss is observed, never asked for). Read from the table,
    /// so a new action's trigger needs only its rows.
    /// </summary>
    public static readonly FrozenSet<VmTrigger> Changes =
        Transitions.Where(t => t.Key.From is VmState.Running or VmState.Stopped && t.Value != VmState.Failed).Select(t => t.Key.Trigger).ToFrozenSet();

    public static Result<VmState> Next(VmState from, VmTrigger trigger) =>
        Transitions.TryGetValue((from, trigger), out var to)
            ? to
            : new Error(ErrorCodes.InvalidStateTransition, $"A VM that is {Describe(from)} cannot take '{trigger}'.");

    private static string Describe(VmState state) => state.ToString().ToLowerInvariant();
}
