namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// Where install trees keep their network-boot kernel and initrd, relative to the install location,
/// tried in this order (the first kernel found wins).
/// </summary>
public static class InstallTree
{
    public static readonly IReadOnlyList<(string Kernel, string Initrd)> Layouts =
    [
        // Fedora, RHEL, Rocky, Alma, CentOS: the tree's root.
        ("images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"),

        // Debian and Ubuntu: .../dists/<suite>/main/installer-amd64 (the staging agent's example).
        ("current/images/netboot/debian-installer/amd64/linux", "current/images/netboot/debian-installer/amd64/initrd.gz"),
        ("current/images/netboot/ubuntu-installer/amd64/linux", "current/images/netboot/ubuntu-installer/amd64/initrd.gz"),

        // openSUSE and SLES.
        ("boot/x86_64/loader/linux", "boot/x86_64/loader/initrd"),
    ];

    /// <summary>The location as a base that relative paths extend (a trailing slash, or the last segment would be replaced).</summary>
    public static Uri Base(Uri location) =>
        location.AbsolutePath.EndsWith('/') ? location : new UriBuilder(location) { Path = location.AbsolutePath + "/" }.Uri;
}
