namespace OrleansCloud.Hosts;

public static class PlacementKeys
{
    /// <summary>One placement view per cluster (cell); see the README's scaling notes.</summary>
    public const string Global = "global";
}
