namespace OrleansCloud.HostAgent.Hosting;

/// <summary>The effective, validated list of hosts this agent announces.</summary>
public sealed class AnnouncedHosts
{
    private readonly Dictionary<string, HostDefinition> _byName;

    public AnnouncedHosts(IEnumerable<HostDefinition> hosts) =>
        _byName = hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<HostDefinition> All => _byName.Values;

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public HostDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Expands the options into hosts and checks them; every problem is listed.</summary>
    public static AnnouncedHosts FromOptions(HostAgentOptions options)
    {
        var hosts = new List<HostDefinition>(options.Hosts);
        var fleet = options.Simulated;
        for (var i = 1; i <= fleet.Count; i++)
        {
            hosts.Add(new HostDefinition
            {
                Name = $"{fleet.NamePrefix}{i:00}",
                Area = fleet.Area,
                Driver = "simulated",
                Vcpus = fleet.Vcpus,
                RamMb = fleet.RamMb,
                DiskGb = fleet.DiskGb,
                MaxVms = fleet.MaxVms,
                Capabilities = [.. fleet.Capabilities ?? SimulatedFleetOptions.DefaultCapabilities],
            });
        }

        foreach (var host in options.Hosts.Where(h => h.Capabilities.Count == 0))
        {
            host.Capabilities = [.. SimulatedFleetOptions.DefaultCapabilities];
        }

        var problems = new List<string>();
        foreach (var host in hosts)
        {
            if (!IsValidHostName(host.Name))
            {
                problems.Add($"host name '{host.Name}' must be 1-63 lower-case letters, digits or inner hyphens");
            }

            if (host.Vcpus <= 0 || host.RamMb <= 0 || host.DiskGb <= 0 || host.MaxVms <= 0)
            {
                problems.Add($"host '{host.Name}' needs positive Vcpus, RamMb, DiskGb and MaxVms");
            }
        }

        problems.AddRange(hosts.GroupBy(h => h.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"host '{g.Key}' is listed twice"));
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add("HeartbeatInterval must be positive");
        }

        if (options.MaxParallelOperations < 1)
        {
            problems.Add("MaxParallelOperations must be at least 1");
        }

        if (fleet.Latency < TimeSpan.Zero)
        {
            problems.Add("Simulated:Latency must not be negative");
        }

        return problems.Count > 0
            ? throw new InvalidOperationException("HostAgent configuration is invalid: " + string.Join("; ", problems))
            : new AnnouncedHosts(hosts);
    }

    public static bool IsValidHostName(string? name) => OrleansCloud.Vms.VmLimits.IsValidName(name);
}
