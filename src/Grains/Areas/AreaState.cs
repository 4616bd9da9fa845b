using OrleansCloud.Areas;

namespace OrleansCloud.Grains.Areas;

/// <summary>An area's settings and the VLAN of each network in it: bounded by the area's networks, never by history.</summary>
[GenerateSerializer, Alias("oc.AreaState")]
public sealed class AreaState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public AreaSettings? Settings { get; set; }

    [Id(2)]
    public bool Discovered { get; set; }

    [Id(3)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(4)]
    public long Version { get; set; }

    /// <summary>Network id to VLAN.</summary>
    [Id(5)]
    public Dictionary<string, int> Vlans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Network id to its subnet, carved from the area's pool or given.</summary>
    [Id(6)]
    public OrleansCloud.Networks.SubnetBook Subnets { get; set; } = new();
}
