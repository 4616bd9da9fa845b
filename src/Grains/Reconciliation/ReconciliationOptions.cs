namespace OrleansCloud.Grains.Reconciliation;

/// <summary>How the control plane corrects its records from what hypervisors report (section "Reconciliation").</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>
    /// How long a domain nobody owns must be seen before it is removed: long enough for any task that
    /// could still own it to show itself, and for an operator to notice.
    /// </summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many reports in a row must miss a VM before it counts as lost (one report can race a task).</summary>
    public int LostAfterReports { get; set; } = 2;
}
