using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// Reads the hashes this project stored before it moved to ASP.NET Core Identity's hasher:
/// "pbkdf2-sha256$iterations$salt$hash". They still verify, and <see cref="Passwords"/> answers
/// that they need a rehash, so each is replaced by an Identity hash at its user's next sign-in.
/// </summary>
public static class LegacyPbkdf2
{
    private const string Scheme = "pbkdf2-sha256";

    public static bool IsLegacy(string stored) => stored.StartsWith(Scheme + "$", StringComparison.Ordinal);

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not [Scheme, var iterationText, var saltText, var hashText]
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        var salt = new byte[saltText.Length];
        var expected = new byte[hashText.Length];
        if (!Convert.TryFromBase64String(saltText, salt, out var saltLength) || !Convert.TryFromBase64String(hashText, expected, out var hashLength) || hashLength == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt.AsSpan(0, saltLength), iterations, HashAlgorithmName.SHA256, hashLength);
        return CryptographicOperations.FixedTimeEquals(actual, expected.AsSpan(0, hashLength));
    }
}
