namespace OrleansCloud.Users;

/// <summary>The permissions a membership can grant: resource × verb.</summary>
public static class Permissions
{
    public const string VmAdd = "vm.add";
    public const string VmEdit = "vm.edit";
    public const string VmDelete = "vm.delete";
    public const string NetworkAdd = "network.add";
    public const string NetworkEdit = "network.edit";
    public const string NetworkDelete = "network.delete";
    public const string UserAdd = "user.add";
    public const string UserEdit = "user.edit";
    public const string UserDelete = "user.delete";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        VmAdd, VmEdit, VmDelete, NetworkAdd, NetworkEdit, NetworkDelete, UserAdd, UserEdit, UserDelete,
    };
}
