using OrleansCloud.Users;

namespace OrleansCloud.Api.Users;

public sealed record MembershipDto(string? TenantId, IReadOnlyList<string>? Permissions);

public sealed record CreateUserRequest(string? Username, string? Password, IReadOnlyList<MembershipDto>? Memberships);

public sealed record UserDto(string Username, IReadOnlyList<Membership> Memberships, DateTimeOffset CreatedAt)
{
    public static UserDto From(UserView view) => new(view.Username, view.Memberships, view.CreatedAt);
}
