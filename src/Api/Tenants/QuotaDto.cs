namespace OrleansCloud.Api.Tenants;

public sealed record QuotaDto(int Vcpus, long RamMb, long DiskGb, int Vms)
{
    public static QuotaDto From(ResourceAmount amount) => new(amount.Vcpus, amount.RamMb, amount.DiskGb, amount.Vms);
}
