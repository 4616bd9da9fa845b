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
    IReadOnlyList<VmInterfaceDto> Interfaces,
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
        view.Spec.Interfaces is { Count: > 0 } interfaces ? [.. interfaces.Select(i => i.Address)] : view.Addresses,
        [.. (view.Spec.Interfaces ?? []).Select(i => new VmInterfaceDto(i.Network, i.NetworkId, i.Mac, i.Address))],
        view.LastTaskId,
        view.CreatedAt,
        view.UpdatedAt,
        view.Version);
}

/// <summary>One interface of a VM: the tenant network (name and id) it joins, its MAC and its address there.</summary>
public sealed record VmInterfaceDto(string Network, string NetworkId, string Mac, string Address);
