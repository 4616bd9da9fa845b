using OrleansCloud.Networks;

namespace OrleansCloud.Grains.Networks;

[GenerateSerializer, Alias("oc.NetworkGrainState")]
public sealed class NetworkGrainState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string TenantId { get; set; } = "";
    [Id(2)] public NetworkSpec? Spec { get; set; }
    [Id(3)] public NetworkState State { get; set; }
    [Id(4)] public AddressBook Addresses { get; set; } = new();
    [Id(5)] public string? LastTaskId { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }
}
