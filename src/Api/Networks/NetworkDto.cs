using OrleansCloud.Networks;

namespace OrleansCloud.Api.Networks;

/// <summary>A tenant network as api.md names its fields; <c>interfaces</c> counts the attached interfaces.</summary>
public sealed record NetworkDto(
    string NetworkId,
    string TenantId,
    string Name,
    string Area,
    int Vlan,
    string Subnet,
    string Gateway,
    string State,
    int Interfaces,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static NetworkDto From(NetworkView view) => new(
        view.NetworkId, view.TenantId, view.Spec.Name, view.Spec.Area, view.Spec.Vlan, view.Spec.Subnet, view.Spec.Gateway,
        view.State.ToString().ToLowerInvariant(), view.Interfaces, view.CreatedAt, view.UpdatedAt);
}
