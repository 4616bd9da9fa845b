using System.Text.Json;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Vms;

public sealed record VmDto(
    string VmId,
    string TenantId,
    string Name,
    string State,
    int Cpu,
    long RamMb,
    long DiskGb,
    string ImageId,
    int Generation,
    string? Area,
    string? Host,
    IReadOnlyList<string> Addresses,
    string? LastTaskId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public static VmDto From(VmView view) => new(
        view.VmId,
        view.TenantId,
        view.Spec.Name,
        JsonNamingPolicy.CamelCase.ConvertName(view.State.ToString()),
        view.Spec.Cpu,
        view.Spec.RamMb,
        view.Spec.DiskGb,
        view.Spec.ImageId,
        view.Spec.Generation,
        view.Spec.Area,
        view.Host,
        view.Addresses,
        view.LastTaskId,
        view.CreatedAt,
        view.UpdatedAt,
        view.Version);
}
