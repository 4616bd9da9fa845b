using System.Security.Cryptography;

namespace OrleansCloud.Silo;

/// <summary>
/// Fills in what the all-in-one needs and an operator did not give: an admin user name, a random
/// admin password and a random token signing key, never a fixed secret. What was generated is
/// reported so the banner can print it.
/// </summary>
public static class AllInOneDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static GeneratedSecrets Apply(ConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration["OC_ADMIN_USER"]))
        {
            defaults["OC_ADMIN_USER"] = "admin";
        }

        string? generatedPassword = null;
        if (string.IsNullOrWhiteSpace(configuration["OC_ADMIN_PASSWORD"]))
        {
            generatedPassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
            defaults["OC_ADMIN_PASSWORD"] = generatedPassword;
        }

        if (string.IsNullOrWhiteSpace(configuration["OC_JWT_KEY"]))
        {
            // Tokens then die with the process, which is what a single-process trial wants.
            defaults["OC_JWT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        if (string.IsNullOrWhiteSpace(configuration["urls"]) && string.IsNullOrWhiteSpace(configuration["ASPNETCORE_URLS"]))
        {
            defaults["urls"] = DefaultUrl;
        }

        if (defaults.Count > 0)
        {
            configuration.AddInMemoryCollection(defaults);
        }

        return new GeneratedSecrets(generatedPassword);
    }
}
