using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Auth;

/// <summary>Signs access tokens (HS256) carrying the scope and, for tenant users, their memberships.</summary>
public sealed class TokenIssuer(AuthOptions options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public SymmetricSecurityKey Key { get; } = new(options.SigningKeyBytes());

    public int LifetimeSeconds => options.TokenLifetimeMinutes * 60;

    public string Issue(string username, bool admin, IReadOnlyList<Membership> memberships)
    {
        var claims = new List<Claim>
        {
            new(ClaimNames.Subject, username),
            new(ClaimNames.Scope, admin ? ClaimNames.AdminScope : ClaimNames.TenantScope),
        };
        claims.AddRange(memberships.Select(m => new Claim(ClaimNames.Membership, JsonSerializer.Serialize(m, JsonSerializerOptions.Web))));
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(LifetimeSeconds),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
