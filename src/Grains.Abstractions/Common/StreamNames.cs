namespace OrleansCloud.Common;

/// <summary>Names shared by everything that publishes or reads the tenant event streams.</summary>
public static class StreamNames
{
    /// <summary>The Orleans stream provider that carries tenant events.</summary>
    public const string Provider = "oc-events";

    /// <summary>The stream namespace; the stream key is the tenant id.</summary>
    public const string TenantEvents = "tenant-events";
}
