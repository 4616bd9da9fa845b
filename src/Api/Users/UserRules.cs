using OrleansCloud.Api.Auth;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Users;

/// <summary>What makes a user name, a password and a permission list acceptable, wherever users are made.</summary>
public static class UserRules
{
    public static void CheckCredentials(string? username, string? password, AuthOptions auth, Dictionary<string, string[]> errors)
    {
        if (!Names.IsValid(username))
        {
            errors["username"] = ["must be 1-63 lower-case letters, digits or inner hyphens"];
        }
        else if (username == auth.AdminUser)
        {
            errors["username"] = ["is the administrator's name"];
        }

        if (password is not { Length: >= 8 and <= 200 })
        {
            errors["password"] = ["must be 8-200 characters"];
        }
    }

    /// <summary>The permissions that are not ones this platform knows, or null when all are.</summary>
    /// <summary>A user belongs to at most this many tenants (bounds the token and every membership check).</summary>
    public const int MaxMemberships = 100;

    /// <summary>The permissions that are not ones this platform knows (a null item included), or null when all are.</summary>
    public static string[]? UnknownPermissions(IEnumerable<string?> permissions)
    {
        var list = permissions.ToList();
        if (list.Any(p => p is null))
        {
            return ["must hold permission names, not null"];
        }

        var unknown = list.Where(p => !Permissions.All.Contains(p!)).Take(10).ToList();
        return unknown.Count == 0
            ? null
            : [$"unknown: {string.Join(", ", unknown.Select(p => p!.Length > 40 ? p[..40] : p))}; known: {string.Join(", ", Permissions.All.Order())}"];
    }
}
