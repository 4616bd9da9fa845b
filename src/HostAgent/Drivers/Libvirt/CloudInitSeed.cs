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

    /// <summary>The genisoimage arguments for a seed of the two files in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> IsoArguments(string isoPath, string directory) =>
        ["-output", isoPath, "-volid", "cidata", "-joliet", "-rock", "-quiet",
         Path.Combine(directory, "user-data"), Path.Combine(directory, "meta-data")];
}
