namespace OrleansCloud.HostAgent.Hosting;

/// <summary>Generates hosts NamePrefix01..NN driven by the simulated driver.</summary>
public sealed class SimulatedFleetOptions
{
    public int Count { get; set; } = 3;
    public string NamePrefix { get; set; } = "sim-";
    public string Area { get; set; } = "default";
    public int Vcpus { get; set; } = 16;
    public long RamMb { get; set; } = 65536;
    public long DiskGb { get; set; } = 2000;
    public int MaxVms { get; set; } = 100;

    /// <summary>Null means the default set; an empty list in configuration cannot be told from "unset".</summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>
    /// A file that keeps the simulated hypervisors' domains across agent restarts, as a real
    /// hypervisor keeps its VMs when its agent restarts; unset: in memory only.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>How long each simulated operation takes.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(200);

    public static readonly IReadOnlyList<string> DefaultCapabilities =
        [OrleansCloud.Hosts.Capabilities.Vm, OrleansCloud.Hosts.Capabilities.Gen1, OrleansCloud.Hosts.Capabilities.Gen2, OrleansCloud.Hosts.Capabilities.Network];
}
