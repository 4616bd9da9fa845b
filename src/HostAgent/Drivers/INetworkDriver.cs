namespace OrleansCloud.HostAgent.Drivers;

/// <summary>
/// Tenant networks on a host: a bridge with a VLAN tag that VMs attach to. Every call is idempotent:
/// ensuring an identical network again succeeds, a different one under the same name is a conflict,
/// deleting an absent one succeeds.
/// </summary>
public interface INetworkDriver
{
    Task<NetworkResult> EnsureNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

    Task<NetworkResult> DeleteNetworkAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(CancellationToken cancellationToken);
}

public sealed record NetworkSpec(string Name, string Bridge, int Vlan);

public sealed record NetworkInfo(string Name, string Bridge, int Vlan, bool Active);

/// <summary>The outcome of a network call; <see cref="Created"/>/<see cref="Deleted"/> tell whether anything changed.</summary>
public sealed record NetworkResult(bool Succeeded, bool Created, bool Deleted, bool Conflict, string? Message, IReadOnlyList<string> Logs)
{
    public static NetworkResult Done(bool created = false, bool deleted = false, params string[] logs) => new(true, created, deleted, false, null, logs);

    public static NetworkResult Conflicting(string message) => new(false, false, false, true, message, []);

    public static NetworkResult Failed(string message, IReadOnlyList<string> logs) => new(false, false, false, false, message, logs);
}
