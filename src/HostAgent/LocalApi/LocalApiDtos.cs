using System.Text.Json;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>POST /hosts: a VM on this hypervisor. Sizes default to a small VM.</summary>
public sealed record CreateLocalVmRequest(
    string? Name, int? Cpu, long? RamMb, long? DiskGb, string? ImageId, int? Generation, JsonElement? CloudInit, string? Network);

public sealed record LocalVmDto(string Name, string State, int Cpu, long RamMb, IReadOnlyList<string> Addresses);

/// <summary>POST /networks: a network on an Open vSwitch bridge with a VLAN tag.</summary>
public sealed record CreateNetworkRequest(string? Name, string? Bridge, int? Vlan);

public sealed record NetworkDto(string Name, string Bridge, int Vlan, bool Active);

public sealed record ItemsDto<T>(IReadOnlyList<T> Items);
