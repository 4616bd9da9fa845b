namespace OrleansCloud.Api.Tenants;

public sealed record QuotaDto(int Vcpus, long RamMb, long DiskGb, int Vms)
{
    public static QuotaDto From(ResourceAmount amount) => new(amount.Vcpus, amount.RamMb, amount.DiskGb, amount.Vms);

    public ResourceAmount ToAmount() => new(Vcpus, RamMb, DiskGb, Vms);

    public IEnumerable<(string Field, string Message)> Problems(string prefix)
    {
        if (Vcpus < 0) yield return ($"{prefix}.vcpus", "must not be negative");
        if (RamMb < 0) yield return ($"{prefix}.ramMb", "must not be negative");
        if (DiskGb < 0) yield return ($"{prefix}.diskGb", "must not be negative");
        if (Vms < 0) yield return ($"{prefix}.vms", "must not be negative");
    }
}
