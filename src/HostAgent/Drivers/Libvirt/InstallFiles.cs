namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>An install tree's kernel and initrd, downloaded next to the domain's disks.</summary>
public sealed record InstallFiles(string Location, string KernelPath, string InitrdPath, string? Cmdline);
