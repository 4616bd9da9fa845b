namespace OrleansCloud.Hosts;

public enum HostOperationKind
{
    CreateVm = 1,
    DeleteVm = 2,
    StartVm = 3,
    StopVm = 4,
}
