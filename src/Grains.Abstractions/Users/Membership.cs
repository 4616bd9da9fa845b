namespace OrleansCloud.Users;

/// <summary>A user's permissions in one tenant, e.g. "vm.add", "network.delete".</summary>
[GenerateSerializer, Immutable, Alias("oc.Membership")]
public sealed record Membership(
    [property: Id(0)] string TenantId,
    [property: Id(1)] IReadOnlyList<string> Permissions);
