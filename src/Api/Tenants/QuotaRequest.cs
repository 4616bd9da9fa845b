namespace OrleansCloud.Api.Tenants;

/// <summary>
/// The quota a client sends (tenant creation, <c>PUT /admin/tenants/{id}/quota</c>): all four limits are
/// required, as JSON integers, zero or more. A missing field is refused rather than read as 0, so a
/// partial body never zeroes the limits it left out.
/// </summary>
public sealed record QuotaRequest(int? Vcpus, long? RamMb, long? DiskGb, int? Vms)
{
    /// <summary>Large enough for any real tenant, small enough that sums of limits never overflow.</summary>
    public const long MaxAmount = 1L << 40;

    public ResourceAmount ToAmount() => new(Vcpus!.Value, RamMb!.Value, DiskGb!.Value, Vms!.Value);

    public IEnumerable<(string Field, string Message)> Problems(string prefix)
    {
        foreach (var (name, value) in new (string, long?)[] { ("vcpus", Vcpus), ("ramMb", RamMb), ("diskGb", DiskGb), ("vms", Vms) })
        {
            if (value is not { } amount)
            {
                yield return ($"{prefix}.{name}", "is required: an integer, zero or more");
            }
            else if (amount is < 0 or > MaxAmount)
            {
                yield return ($"{prefix}.{name}", $"must be between 0 and {MaxAmount}");
            }
        }
    }
}
