using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// A token says who the caller is; what the caller may do is read from its user grain on every request,
/// so a permission taken away or a membership ended counts at once, not when the token expires.
/// </summary>
public static class LiveMemberships
{
    public static async Task Refresh(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst(ClaimNames.Scope)?.Value != ClaimNames.TenantScope)
        {
            return;
        }

        var username = identity.FindFirst(ClaimNames.Subject)?.Value;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        var user = string.IsNullOrEmpty(username) ? null : await grains.Ref<IUserGrain>(username).Get();
        if (user is not { IsSuccess: true })
        {
            context.Fail(new UserGoneException());
            return;
        }

        foreach (var claim in identity.FindAll(ClaimNames.Membership).ToList())
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaims(user.Value.Memberships.Select(m => new Claim(ClaimNames.Membership, JsonSerializer.Serialize(m, JsonSerializerOptions.Web))));
    }
}
