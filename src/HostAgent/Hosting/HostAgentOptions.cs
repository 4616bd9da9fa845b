namespace OrleansCloud.HostAgent.Hosting;

/// <summary>What an agent announces (section "HostAgent").</summary>
public sealed class HostAgentOptions
{
    public const string Section = "HostAgent";

    /// <summary>
    /// True: serve the local API alone, without Orleans (no cluster to join, no heartbeats). False: join the
    /// cluster. Unset: standalone unless a control plane is configured (Orleans:Storage=Postgres, or
    /// Orleans:PrimarySiloPort for an in-memory cluster on this machine).
    /// </summary>
    public bool? Standalone { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each host's real inventory is reported for reconciliation (also right after the agent
    /// joins); zero turns reconciliation off for this agent.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many operations a host runs at once, on different VMs or networks (one VM's run in order).</summary>
    public int MaxParallelOperations { get; set; } = 8;

    /// <summary>Hosts listed one by one (real hypervisors, or simulated ones with their own shape).</summary>
    public List<HostDefinition> Hosts { get; set; } = [];

    /// <summary>A generated fleet of simulated hosts; Count 0 for none.</summary>
    public SimulatedFleetOptions Simulated { get; set; } = new();
}
