namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>Boot the installer of an install tree: its kernel and initrd, with this kernel command line.</summary>
public sealed record NetworkInstall(Uri Location, string? Cmdline);
