namespace OrleansCloud.Reconciliation;

/// <summary>
/// Compares what one hypervisor really runs with the platform's records of it (keyed by host name).
/// The host's agent reports its inventory when it (re)joins and periodically; each correction is
/// a job of the VM's tenant (with its step and job events) and a log line.
/// </summary>
[Alias("oc.IHostReconcilerGrain")]
public interface IHostReconcilerGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task<ReconciliationReport> Report(IReadOnlyList<ObservedVm> inventory);
}
