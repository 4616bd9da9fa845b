namespace OrleansCloud.Common;

/// <summary>Keys of the singleton directory grains that list ids for administrators.</summary>
public static class DirectoryKeys
{
    public const string Tenants = "tenants";
    public const string Users = "users";
    public const string Areas = "areas";
    public const string Images = "images";

    /// <summary>The users who are (or were: the user grain is the truth) members of a tenant.</summary>
    public static string MembersOf(string tenantId) => $"members:{tenantId}";
}
