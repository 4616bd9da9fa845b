namespace OrleansCloud.Users;

[GenerateSerializer, Immutable, Alias("oc.UserView")]
public sealed record UserView(
    [property: Id(0)] string Username,
    [property: Id(1)] IReadOnlyList<Membership> Memberships,
    [property: Id(2)] DateTimeOffset CreatedAt);
