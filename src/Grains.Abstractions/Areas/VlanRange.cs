namespace OrleansCloud.Areas;

/// <summary>The VLAN ids an area hands to tenant networks, both ends included.</summary>
[GenerateSerializer, Immutable, Alias("oc.VlanRange")]
public sealed record VlanRange([property: Id(0)] int From, [property: Id(1)] int To)
{
    /// <summary>802.1Q ids 0 and 4095 are reserved by the standard.</summary>
    public const int MinVlan = 1;
    public const int MaxVlan = 4094;

    public bool IsValid => From is >= MinVlan and <= MaxVlan && To is >= MinVlan and <= MaxVlan && From <= To;

    public bool Contains(int vlan) => vlan >= From && vlan <= To;

    public int Size => To - From + 1;
}
