namespace OrleansCloud.Vms;

/// <summary>What moves a VM between observed states; see VmLifecycle for the table.</summary>
public enum VmTrigger
{
    Provision = 0,
    ProvisionSucceeded = 1,
    ProvisionFailed = 2,
    Started = 3,
    Stopped = 4,
    Delete = 5,
    DeleteSucceeded = 6,
    DeleteFailed = 7,
    Rebooted = 8,
    Resized = 9,
    Migrated = 10,

    /// <summary>Reconciliation found the VM gone from its host: it fails, and its usage is released.</summary>
    Lost = 11,

    /// <summary>An interface was attached or detached (vm.attachInterface, vm.detachInterface).</summary>
    InterfacesChanged = 12,
}
