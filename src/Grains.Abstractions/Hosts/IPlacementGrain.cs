using OrleansCloud.Common;

namespace OrleansCloud.Hosts;

/// <summary>
/// A fast view of every host's capacity, fed by <see cref="IHostGrain"/>. It ranks candidates;
/// it decides nothing: the claim on the host grain does. Key: <see cref="PlacementKeys.Global"/>.
/// </summary>
[Alias("oc.IPlacementGrain")]
public interface IPlacementGrain : IGrainWithStringKey
{
    [Alias("Update")]
    Task Update(HostSnapshot snapshot);

    /// <summary>Candidate host names, best first; empty when no host passes.</summary>
    [ReadOnly, Alias("Elect")]
    Task<IReadOnlyList<string>> Elect(PlacementRequest request);

    [ReadOnly, Alias("ListHosts")]
    Task<IReadOnlyList<HostSnapshot>> ListHosts();
}
