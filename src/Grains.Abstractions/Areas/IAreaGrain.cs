using OrleansCloud.Common;

namespace OrleansCloud.Areas;

/// <summary>
/// A failover domain, keyed by its id: its settings and the VLANs its tenant networks hold. Every VLAN
/// decision of the area is made here, one call at a time, so no VLAN is ever handed out twice.
/// </summary>
[Alias("oc.IAreaGrain")]
public interface IAreaGrain : IGrainWithStringKey
{
    /// <summary>Creates the area; <see cref="ErrorCodes.Conflict"/> when it exists (created or discovered).</summary>
    [Alias("Create")]
    Task<Result<AreaView>> Create(AreaSettings settings);

    /// <summary>Creates the area with the defaults when it does not exist; does nothing otherwise. Called for an area a host reports.</summary>
    [Alias("Discover")]
    Task Discover();

    [ReadOnly, Alias("Get")]
    Task<Result<AreaView>> Get();

    /// <summary>Changes the given fields. A VLAN range that would leave out a VLAN in use is <see cref="ErrorCodes.Conflict"/>.</summary>
    [Alias("Change")]
    Task<Result<AreaView>> Change(AreaChange change);

    /// <summary>Deletes the area; <see cref="ErrorCodes.Conflict"/> while a host reports it or a network holds one of its VLANs.</summary>
    [Alias("Delete")]
    Task<Result> Delete();

    /// <summary>
    /// The VLAN of <paramref name="networkId"/>: <paramref name="wanted"/> when given (it must lie in the
    /// range and be free: <see cref="ErrorCodes.Validation"/> or <see cref="ErrorCodes.Conflict"/>), else
    /// the lowest free one of the range (<see cref="ErrorCodes.NoCapacity"/> when none is). Idempotent per
    /// network: a second call answers the same VLAN.
    /// </summary>
    [Alias("AllocateVlan")]
    Task<Result<int>> AllocateVlan(string networkId, int? wanted);

    /// <summary>Frees the network's VLAN. Idempotent: releasing a network that holds none succeeds.</summary>
    [Alias("ReleaseVlan")]
    Task<Result> ReleaseVlan(string networkId);

    /// <summary>
    /// The subnet of <paramref name="networkId"/>: <paramref name="wanted"/> when given (it must not overlap
    /// another network's in the area: <see cref="ErrorCodes.Conflict"/>), else the first free /<paramref name="prefix"/>
    /// of the area's subnet pool (<see cref="ErrorCodes.NoCapacity"/> when none is). Idempotent per network.
    /// </summary>
    [Alias("AllocateSubnet")]
    Task<Result<string>> AllocateSubnet(string networkId, string? wanted, int prefix);

    /// <summary>Frees the network's subnet. Idempotent.</summary>
    [Alias("ReleaseSubnet")]
    Task<Result> ReleaseSubnet(string networkId);
}
