using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// Password hashing with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> at its defaults (format
/// v3: PBKDF2 with HMAC-SHA512, 100,000 iterations in .NET 10, 128-bit salt), which Identity raises as hardware
/// gets faster; a hash made with older parameters, or in this project's earlier format
/// (<see cref="LegacyPbkdf2"/>), verifies as <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>.
/// Every sign-in costs one hash verification whatever the outcome: an unknown user is checked against a
/// dummy hash, and the configured administrator's password is hashed once at start and checked the same way,
/// so timing does not tell which user names exist.
/// </summary>
public sealed class Passwords
{
    private readonly PasswordHasher<PasswordSubject> _hasher = new();
    private readonly string _dummyHash;
    private readonly string _adminHash;
    private readonly byte[] _adminUser;

    public Passwords(AuthOptions options)
    {
        _dummyHash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        _adminHash = Hash(options.AdminPassword);
        _adminUser = SHA256.HashData(Encoding.UTF8.GetBytes(options.AdminUser));
    }

    public string Hash(string password) => _hasher.HashPassword(PasswordSubject.Instance, password);

    /// <summary>Checks a password against a stored hash; a missing or unreadable hash costs the same and fails.</summary>
    public PasswordVerificationResult Verify(string? storedHash, string password)
    {
        if (storedHash is not null && LegacyPbkdf2.IsLegacy(storedHash))
        {
            return LegacyPbkdf2.Verify(password, storedHash) ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
        }

        var known = !string.IsNullOrEmpty(storedHash);
        PasswordVerificationResult result;
        try
        {
            result = _hasher.VerifyHashedPassword(PasswordSubject.Instance, known ? storedHash! : _dummyHash, password);
        }
        catch (FormatException)
        {
            result = PasswordVerificationResult.Failed;
        }

        return known ? result : PasswordVerificationResult.Failed;
    }

    /// <summary>Whether the name is the configured administrator's, in constant time.</summary>
    public bool IsAdmin(string username) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(username)), _adminUser);

    public bool VerifyAdmin(string password) => Verify(_adminHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Identity's hasher takes a user object; its default implementation does not read it.</summary>
    private sealed class PasswordSubject
    {
        public static readonly PasswordSubject Instance = new();
    }
}
