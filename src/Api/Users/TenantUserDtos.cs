namespace OrleansCloud.Api.Users;

/// <summary><c>POST /tenant/users</c>: a new user who is a member of the caller's tenant only.</summary>
public sealed record AddTenantUserRequest(string? TenantId, string? Username, string? Password, IReadOnlyList<string>? Permissions);

/// <summary><c>PUT /tenant/users/{username}</c>: the member's permissions in the tenant, replaced.</summary>
public sealed record EditTenantUserRequest(string? TenantId, IReadOnlyList<string>? Permissions);

/// <summary>A member of one tenant, as that tenant's users see it.</summary>
public sealed record TenantMemberDto(string Username, string TenantId, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt);
