using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>
/// Elects hosts from this silo's view of every host. A stateless worker: each silo runs a few
/// activations over one shared view, so no single grain queues the elections of the cluster. It
/// ranks candidates; it decides nothing: the claim on the host grain does.
/// Key: <see cref="PlacementKeys.Global"/>.
/// </summary>
[Alias("oc.IPlacementGrain")]
public interface IPlacementGrain : IGrainWithStringKey
{
    /// <summary>
    /// At most Placement:MaxClaimAttempts candidate host names, freest first, near-equal hosts in random
    /// order; empty when no host passes.
    /// </summary>
    [ReadOnly, Alias("Elect")]
    Task<IReadOnlyList<string>> Elect(PlacementRequest request);

    [ReadOnly, Alias("ListHosts")]
    Task<IReadOnlyList<HostSnapshot>> ListHosts();
}
