using OrleansCloud.Grains.Tasks;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.VmCreate;

/// <summary>
/// Where a new VM's disk goes. Enrichment names the image's pool; the elected host grants that pool when
/// it has it, else its default one, and the VM's record and the host agent get the pool granted (null when
/// the host reports no pools: the agent then falls back to its images directory).
/// </summary>
public static class VmCreateDisk
{
    public static VmSpec OnGrantedPool(VmSpec spec, SagaContext saga) => spec with { Pool = saga.PoolOf(HostRoles.Host) };
}
