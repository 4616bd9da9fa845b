namespace OrleansCloud.Hosts;

public static class PlacementKeys
{
    /// <summary>One placement view per cluster (cell); see the README's scaling notes.</summary>
    public const string Global = "global";

    /// <summary>The feed partition <paramref name="hostName"/> publishes to, stable across processes.</summary>
    public static string Feed(string hostName, int partitions) => Feed(Partition(hostName, partitions));

    /// <summary>The key of feed partition <paramref name="partition"/>.</summary>
    public static string Feed(int partition) => $"{Global}/{partition}";

    // FNV-1a: string.GetHashCode differs between processes, and every silo must agree.
    private static int Partition(string hostName, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in hostName)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }
}
