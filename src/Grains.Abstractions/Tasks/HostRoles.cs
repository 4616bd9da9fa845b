namespace OrleansCloud.Tasks;

/// <summary>The roles a host plays in a task: the one host of most actions, or both ends of a move.</summary>
public static class HostRoles
{
    public const string Host = "host";
    public const string Source = "source";
    public const string Target = "target";
}
