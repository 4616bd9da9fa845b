namespace OrleansCloud.Tasks;

/// <summary>
/// What a task produced or acted on: its resources by kind ("vm", "network") and its hosts by role
/// ("host" for one, "source" and "target" for a move).
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.TaskOutcome")]
public sealed record TaskOutcome(
    [property: Id(0)] IReadOnlyDictionary<string, string> Resources,
    [property: Id(1)] IReadOnlyDictionary<string, string> Hosts)
{
    public string? VmId => Resources.GetValueOrDefault(ResourceKinds.Vm);

    /// <summary>Where the resource is now: the target of a move, or the one host.</summary>
    public string? Host => Hosts.GetValueOrDefault(HostRoles.Target) ?? Hosts.GetValueOrDefault(HostRoles.Host);
}
