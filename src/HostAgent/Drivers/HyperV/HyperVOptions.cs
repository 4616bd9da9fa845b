namespace OrleansCloud.HostAgent.Drivers.HyperV;

/// <summary>The Hyper-V driver's settings (section "HyperV").</summary>
public sealed class HyperVOptions
{
    public const string Section = "HyperV";

    /// <summary>The PowerShell executable the scripts run under.</summary>
    public string Pwsh { get; set; } = "pwsh";

    /// <summary>The scripts shipped with the agent (vm.create.ps1, ...); default: next to the agent's binaries.</summary>
    public string ScriptsDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "Drivers", "HyperV", "Scripts");

    /// <summary>The virtual switch new VMs connect to; empty: no network adapter connection.</summary>
    public string SwitchName { get; set; } = "";

    /// <summary>The access VLAN of new VMs' adapters; 0: untagged.</summary>
    public int VlanId { get; set; }

    public string VhdDir { get; set; } = @"C:\OrleansCloud\Disks";

    public string ImagesDir { get; set; } = @"C:\OrleansCloud\Images";

    /// <summary>How long a graceful reboot waits for the guest to shut down before turning it off; keep it well under <see cref="Timeout"/>.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one script may run; past it the run is killed and counts as a retryable failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Extra environment variables for the scripts.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}
