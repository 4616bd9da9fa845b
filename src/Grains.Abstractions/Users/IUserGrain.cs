using OrleansCloud.Common;

namespace OrleansCloud.Users;

/// <summary>A tenant user: its password hash and its memberships. Keyed by the user name.</summary>
[Alias("oc.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; <see cref="ErrorCodes.Conflict"/> when the name is taken.</summary>
    [Alias("Create")]
    Task<Result<UserView>> Create(string passwordHash, IReadOnlyList<Membership> memberships);

    [ReadOnly, Alias("Get")]
    Task<Result<UserView>> Get();

    /// <summary>Adds the membership, or replaces the permissions of the user's membership in that tenant.</summary>
    [Alias("SetMembership")]
    Task<Result<UserView>> SetMembership(Membership membership);

    /// <summary>Ends the user's membership in a tenant; <see cref="ErrorCodes.NotFound"/> when there was none.</summary>
    [Alias("RemoveMembership")]
    Task<Result<UserView>> RemoveMembership(string tenantId);

    /// <summary>The stored hash, for the API's sign-in check only.</summary>
    [ReadOnly, Alias("GetPasswordHash")]
    Task<string?> GetPasswordHash();

    /// <summary>
    /// Replaces the stored hash with one of the same password made with current parameters (a rehash on
    /// sign-in). Only when the stored hash is still <paramref name="expectedHash"/>, so a password changed
    /// meanwhile is never overwritten; false when it was not replaced.
    /// </summary>
    [Alias("ReplacePasswordHash")]
    Task<bool> ReplacePasswordHash(string expectedHash, string newHash);
}
