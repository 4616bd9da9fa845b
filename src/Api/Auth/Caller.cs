using System.Security.Claims;
using System.Text.Json;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Auth;

/// <summary>Who is calling, from the token: an administrator, or a user with memberships.</summary>
public sealed record Caller(string Username, bool IsAdmin, IReadOnlyList<Membership> Memberships)
{
    public static Caller From(ClaimsPrincipal user)
    {
        var memberships = user.FindAll(ClaimNames.Membership)
            .Select(c => JsonSerializer.Deserialize<Membership>(c.Value, JsonSerializerOptions.Web))
            .OfType<Membership>()
            .ToList();
        return new Caller(
            user.FindFirstValue(ClaimNames.Subject) ?? "",
            user.FindFirstValue(ClaimNames.Scope) == ClaimNames.AdminScope,
            memberships);
    }

    /// <summary>
    /// The tenant a tenant-scope request acts for: the one it names, or the caller's only tenant.
    /// Naming a tenant the caller is not a member of is a tenant mismatch.
    /// </summary>
    public Result<string> ResolveTenant(string? requested)
    {
        // Named but not a tenant id (blank, padded, too long): refused before it reaches a grain key.
        if (!string.IsNullOrEmpty(requested) && !Names.IsValid(requested))
        {
            return Error.Validation("tenantId", "must be a tenant id: 1-63 lower-case letters, digits or inner hyphens");
        }

        if (IsAdmin)
        {
            return string.IsNullOrEmpty(requested)
                ? Error.Validation("tenantId", "an administrator must name the tenant")
                : requested;
        }

        if (string.IsNullOrEmpty(requested))
        {
            return Memberships.Count == 1
                ? Memberships[0].TenantId
                : Error.Validation("tenantId", "name the tenant: the caller belongs to several tenants");
        }

        return Memberships.Any(m => m.TenantId == requested)
            ? requested
            : new Error(ErrorCodes.TenantMismatch, $"The caller is not a member of tenant '{requested}'.");
    }

    public bool Can(string tenantId, string permission) =>
        IsAdmin || Memberships.Any(m => m.TenantId == tenantId && m.Permissions.Contains(permission, StringComparer.Ordinal));

    /// <summary>The tenant filter a grain read gets: null lets an administrator see every tenant.</summary>
    public string? ScopeFor(string tenantId) => IsAdmin ? null : tenantId;
}
