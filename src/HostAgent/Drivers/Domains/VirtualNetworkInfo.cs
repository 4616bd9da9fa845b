namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>A libvirt network as virsh net-list shows it.</summary>
public sealed record VirtualNetworkInfo(string Name, bool Active, bool Autostart, bool Persistent);
