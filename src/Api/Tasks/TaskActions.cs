using OrleansCloud.Tasks;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Tasks;

/// <summary>The API's names for task actions ("vm.create") and the permission each one needs.</summary>
public static class TaskActions
{
    private static readonly (string Name, TaskAction Action, string Permission)[] Table =
    [
        ("vm.create", TaskAction.VmCreate, Permissions.VmAdd),
        ("vm.delete", TaskAction.VmDelete, Permissions.VmDelete),
        ("vm.start", TaskAction.VmStart, Permissions.VmEdit),
        ("vm.stop", TaskAction.VmStop, Permissions.VmEdit),
    ];

    public static IEnumerable<string> Names => Table.Select(t => t.Name);

    public static bool TryParse(string? name, out TaskAction action, out string permission)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                (action, permission) = (entry.Action, entry.Permission);
                return true;
            }
        }

        (action, permission) = (default, "");
        return false;
    }

    public static string NameOf(TaskAction action) =>
        Table.FirstOrDefault(t => t.Action == action).Name ?? action.ToString();
}
