using Orleans.Serialization;

namespace OrleansCloud.Hosting;

/// <summary>
/// Which exceptions may cross the wire as themselves. Orleans carries an exception only when its namespace
/// is on the list ("System", "Microsoft", "Azure" by default); any other fails to serialise on the silo, and
/// the caller gets a <c>CodecNotFoundException</c> instead of the fault. Every process of the cluster (silos,
/// agents, the API's client) applies the same list, so what one sends the other can read.
/// </summary>
public static class ClusterExceptions
{
    /// <summary>
    /// <c>Npgsql</c>: a database failure inside a grain reaches the API as a <c>DbException</c> (503).
    /// <c>Polly</c>: grain placement runs in a Polly pipeline, whose <c>TimeoutRejectedException</c> is what
    /// a caller sees when no silo could place the grain in time (a paused or dying silo).
    /// <c>Orleans.Runtime</c>: Orleans' own messaging faults that carry no generated codec (a silo's
    /// <c>ConnectionFailedException</c> towards another silo, say).
    /// </summary>
    public static IReadOnlyList<string> NamespacePrefixes { get; } = [ClusterSettings.PostgresInvariant, "Polly", "Orleans.Runtime"];

    public static void AllowOnTheWire(ExceptionSerializationOptions options)
    {
        foreach (var prefix in NamespacePrefixes)
        {
            options.SupportedNamespacePrefixes.Add(prefix);
        }
    }
}
