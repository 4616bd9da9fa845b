namespace OrleansCloud.HostAgent.Hosting;

/// <summary>
/// A storage pool a host's configuration declares (for drivers that cannot list their pools, and for
/// simulated hosts). <see cref="FreeGb"/> defaults to the whole size.
/// </summary>
public sealed class StoragePoolDefinition
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public long SizeGb { get; set; }
    public long? FreeGb { get; set; }

    public StoragePoolInfo ToInfo() => new(Name, Path, SizeGb, Math.Clamp(FreeGb ?? SizeGb, 0, SizeGb));
}
