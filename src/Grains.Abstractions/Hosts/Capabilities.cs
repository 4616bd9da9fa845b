namespace OrleansCloud.Hosts;

/// <summary>Capabilities a host can announce and an action can require.</summary>
public static class Capabilities
{
    public const string Vm = "vm";
    public const string Gen1 = "gen1";
    public const string Gen2 = "gen2";
    public const string Network = "network";
}
