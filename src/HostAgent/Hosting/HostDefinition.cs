namespace OrleansCloud.HostAgent.Hosting;

/// <summary>One hypervisor this agent drives.</summary>
public sealed class HostDefinition
{
    public string Name { get; set; } = "";
    public string Area { get; set; } = "default";
    public string Driver { get; set; } = "simulated";
    public int Vcpus { get; set; } = 16;
    public long RamMb { get; set; } = 65536;
    public long DiskGb { get; set; } = 2000;
    public int MaxVms { get; set; } = 100;
    public List<string> Capabilities { get; set; } = [];

    /// <summary>Storage pools to report when the driver cannot list its own, default first.</summary>
    public List<StoragePoolDefinition> StoragePools { get; set; } = [];

    public ResourceAmount Capacity => new(Vcpus, RamMb, DiskGb, MaxVms);
}
