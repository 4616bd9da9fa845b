namespace OrleansCloud.Tasks;

/// <summary>The kinds of resource a task can target or produce (the <c>target.kind</c> of api.md).</summary>
public static class ResourceKinds
{
    public const string Vm = "vm";
    public const string Network = "network";
}
