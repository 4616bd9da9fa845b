namespace OrleansCloud.Grains.Hosts;

/// <summary>Election settings (section "Placement").</summary>
public sealed class PlacementOptions
{
    public const string Section = "Placement";

    /// <summary>A host whose last heartbeat is older than this is not elected and refuses claims.</summary>
    public TimeSpan MaxHeartbeatAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many ranked candidates a task tries to claim before it answers no capacity.</summary>
    public int MaxClaimAttempts { get; set; } = 5;
}
