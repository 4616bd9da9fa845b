namespace OrleansCloud.HostAgent.Placement;

/// <summary>How a silo announces its hosts in its metadata: one key, a comma-separated list.</summary>
public static class AnnouncedHostsMetadata
{
    public const string Key = "oc.hosts";

    public static string Format(IEnumerable<string> hosts) => string.Join(',', hosts);

    public static bool Announces(IReadOnlyDictionary<string, string> metadata, string hostName) =>
        metadata.TryGetValue(Key, out var list)
        && list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(hostName, StringComparer.Ordinal);
}
