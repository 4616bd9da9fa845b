using System.Text;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// Credentials and token settings, read from the top-level keys OC_ADMIN_USER, OC_ADMIN_PASSWORD,
/// OC_JWT_KEY and OC_TOKEN_LIFETIME_MINUTES (environment variables in production). Nothing has a default secret.
/// </summary>
public sealed class AuthOptions
{
    public const string Issuer = "orleanscloud";
    public const string Audience = "orleanscloud-api";

    public string AdminUser { get; set; } = "";
    public string AdminPassword { get; set; } = "";
    public string SigningKey { get; set; } = "";
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>The key bytes: base64 when it decodes to at least 32 bytes, else the UTF-8 of the string.</summary>
    public byte[] SigningKeyBytes()
    {
        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) && written >= 32
            ? buffer[..written]
            : Encoding.UTF8.GetBytes(SigningKey);
    }

    public static AuthOptions From(IConfiguration configuration) => new()
    {
        AdminUser = configuration["OC_ADMIN_USER"] ?? "",
        AdminPassword = configuration["OC_ADMIN_PASSWORD"] ?? "",
        SigningKey = configuration["OC_JWT_KEY"] ?? "",
        TokenLifetimeMinutes = int.TryParse(configuration["OC_TOKEN_LIFETIME_MINUTES"], out var minutes) ? minutes : 60,
    };

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(AdminUser)) yield return "OC_ADMIN_USER is required";
        if (string.IsNullOrEmpty(AdminPassword)) yield return "OC_ADMIN_PASSWORD is required";
        if (SigningKeyBytes().Length < 32) yield return "OC_JWT_KEY is required and must hold at least 32 bytes";
        if (TokenLifetimeMinutes is < 1 or > 24 * 60) yield return "OC_TOKEN_LIFETIME_MINUTES must be between 1 and 1440";
    }
}
