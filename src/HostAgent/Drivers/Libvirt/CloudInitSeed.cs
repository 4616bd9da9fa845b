using System.Text;
using System.Text.Json.Nodes;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// The NoCloud seed of a VM: user-data (the task's cloud-init; JSON is valid YAML, so it goes in as
/// is after the #cloud-config header) and meta-data (instance id and hostname).
/// </summary>
public static class CloudInitSeed
{
    public static string UserData(string cloudInitJson)
    {
        var node = JsonNode.Parse(string.IsNullOrWhiteSpace(cloudInitJson) ? "{}" : cloudInitJson) as JsonObject
            ?? throw new ArgumentException("cloud-init must be a JSON object", nameof(cloudInitJson));
        return "#cloud-config\n" + node.ToJsonString() + "\n";
    }

    public static string MetaData(string vmId, string hostname) =>
        new StringBuilder()
            .Append("instance-id: ").Append(vmId).Append('\n')
            .Append("local-hostname: ").Append(hostname).Append('\n')
            .ToString();

    public const string NetworkConfigFile = "network-config";

    /// <summary>
    /// The genisoimage arguments for a seed of the files in <paramref name="directory"/>: user-data,
    /// meta-data and, when the VM has tenant interfaces, network-config.
    /// </summary>
    public static IReadOnlyList<string> IsoArguments(string isoPath, string directory, bool withNetworkConfig = false) =>
        ["-output", isoPath, "-volid", "cidata", "-joliet", "-rock", "-quiet",
         Path.Combine(directory, "user-data"), Path.Combine(directory, "meta-data"),
         .. withNetworkConfig ? new[] { Path.Combine(directory, NetworkConfigFile) } : []];

    /// <summary>
    /// cloud-init's network configuration (version 2; JSON is YAML) for the VM's tenant interfaces, or
    /// null when it has none: each interface is matched by its MAC and gets its static address; the
    /// first interface carries the default route through its network's gateway.
    /// </summary>
    public static string? NetworkConfig(IReadOnlyList<OrleansCloud.Vms.VmInterface>? interfaces)
    {
        if (interfaces is not { Count: > 0 })
        {
            return null;
        }

        var ethernets = new JsonObject();
        for (var i = 0; i < interfaces.Count; i++)
        {
            var nic = interfaces[i];
            var ethernet = new JsonObject
            {
                ["match"] = new JsonObject { ["macaddress"] = nic.Mac },
                ["set-name"] = $"eth{i}",
                ["addresses"] = new JsonArray($"{nic.Address}/{nic.PrefixLength}"),
            };
            if (i == 0)
            {
                ethernet["routes"] = new JsonArray(new JsonObject { ["to"] = "default", ["via"] = nic.Gateway });
            }

            ethernets[$"eth{i}"] = ethernet;
        }

        return new JsonObject { ["version"] = 2, ["ethernets"] = ethernets }.ToJsonString() + "\n";
    }
}
