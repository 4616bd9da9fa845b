using System.Collections.Concurrent;
using System.Text.Json;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>The simulated hypervisors' domains in a JSON file, replaced whole (write, then rename) after each change.</summary>
public static class SimulatedDomainFile
{
    public static ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedDomain>> Load(string? path)
    {
        var hosts = new ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedDomain>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return hosts;
        }

        var saved = JsonSerializer.Deserialize<Dictionary<string, List<SimulatedDomain>>>(File.ReadAllText(path)) ?? [];
        foreach (var (host, domains) in saved)
        {
            hosts[host] = new ConcurrentDictionary<string, SimulatedDomain>(domains.Select(d => KeyValuePair.Create(d.VmId, d)), StringComparer.Ordinal);
        }

        return hosts;
    }

    public static void Save(string path, ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedDomain>> hosts)
    {
        var snapshot = hosts.ToDictionary(h => h.Key, h => h.Value.Values.OrderBy(d => d.VmId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(snapshot));
        File.Move(temporary, path, overwrite: true);
    }
}
