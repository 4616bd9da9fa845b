namespace OrleansCloud.Areas;

/// <summary>
/// What an area gets when its creator (or, for a discovered area, nobody) does not say. VLANs 1-99 are
/// left to the operator's own infrastructure (the native VLAN 1, management, storage); 10.0.0.0/8 is
/// private address space, and each area's tenant networks are isolated by VLAN anyway.
/// </summary>
public static class AreaDefaults
{
    public static readonly VlanRange VlanRange = new(100, VlanRange.MaxVlan);

    public const string SubnetPool = "10.0.0.0/8";

    public const string DiscoveredDescription = "Discovered from host heartbeats.";
}
