namespace OrleansCloud.Common;

/// <summary>
/// An amount of the four metered resources. Used for quota limits, usage and holds, and (with
/// <see cref="Vms"/> counting instances) for host capacity and claims.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.ResourceAmount")]
public sealed record ResourceAmount(
    [property: Id(0)] int Vcpus,
    [property: Id(1)] long RamMb,
    [property: Id(2)] long DiskGb,
    [property: Id(3)] int Vms)
{
    public static readonly ResourceAmount Zero = new(0, 0, 0, 0);

    public static ResourceAmount operator +(ResourceAmount a, ResourceAmount b) =>
        new(a.Vcpus + b.Vcpus, a.RamMb + b.RamMb, a.DiskGb + b.DiskGb, a.Vms + b.Vms);

    public static ResourceAmount operator -(ResourceAmount a, ResourceAmount b) =>
        new(a.Vcpus - b.Vcpus, a.RamMb - b.RamMb, a.DiskGb - b.DiskGb, a.Vms - b.Vms);

    /// <summary>True when every field of this amount is at most the same field of <paramref name="limit"/>.</summary>
    public bool FitsWithin(ResourceAmount limit) =>
        Vcpus <= limit.Vcpus && RamMb <= limit.RamMb && DiskGb <= limit.DiskGb && Vms <= limit.Vms;

    /// <summary>Each field at least zero: the growth part of a change.</summary>
    public ResourceAmount PositivePart() => new(Math.Max(Vcpus, 0), Math.Max(RamMb, 0), Math.Max(DiskGb, 0), Math.Max(Vms, 0));

    public bool IsZero => this == Zero;

    public bool IsNonNegative => Vcpus >= 0 && RamMb >= 0 && DiskGb >= 0 && Vms >= 0;

    public static ResourceAmount Sum(IEnumerable<ResourceAmount> amounts) =>
        amounts.Aggregate(Zero, (total, next) => total + next);
}
