namespace OrleansCloud.Hosts;

/// <summary>
/// Runs operations on one hypervisor. Activated only on the agent silo that announced the host
/// (custom placement by silo metadata). Every operation is idempotent under its operation id, so
/// a caller retries freely after a timeout or a crash.
/// </summary>
[Alias("oc.IHostAgentGrain")]
public interface IHostAgentGrain : IGrainWithStringKey
{
    [Alias("Execute")]
    Task<HostOperationResult> Execute(HostOperation operation);
}
