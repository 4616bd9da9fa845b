namespace OrleansCloud.Reconciliation;

/// <summary>
/// What one pass over a host's inventory corrected: VMs the host lost (marked failed, usage and
/// allocation released), VMs whose power state changed behind the platform's back (recorded),
/// domains nobody owns that were removed after their grace period, and those still waiting it out.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.ReconciliationReport")]
public sealed record ReconciliationReport(
    [property: Id(0)] IReadOnlyList<string> Lost,
    [property: Id(1)] IReadOnlyList<string> Drifted,
    [property: Id(2)] IReadOnlyList<string> OrphansRemoved,
    [property: Id(3)] IReadOnlyList<string> OrphansWaiting)
{
    public static readonly ReconciliationReport Nothing = new([], [], [], []);
}
