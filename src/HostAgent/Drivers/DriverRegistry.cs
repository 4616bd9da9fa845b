namespace OrleansCloud.HostAgent.Drivers;

/// <summary>The registered drivers by name ("simulated", later "libvirt", "hyperv").</summary>
public sealed class DriverRegistry(IEnumerable<IHypervisorDriver> drivers)
{
    private readonly Dictionary<string, IHypervisorDriver> _byName = drivers.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    public IHypervisorDriver? Find(string name) => _byName.GetValueOrDefault(name);
}
