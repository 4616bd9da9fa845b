namespace OrleansCloud.Common;

/// <summary>Keys of the singleton directory grains that list ids for administrators.</summary>
public static class DirectoryKeys
{
    public const string Tenants = "tenants";
    public const string Users = "users";
}
