namespace OrleansCloud.Vms;

/// <summary>The observed lifecycle state of a VM (api.md).</summary>
public enum VmState
{
    Pending = 0,
    Provisioning = 1,
    Running = 2,
    Stopped = 3,
    Deleting = 4,
    Deleted = 5,
    Failed = 6,
}
