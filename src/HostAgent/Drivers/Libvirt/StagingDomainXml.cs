using System.Xml.Linq;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// The domain of a local-API host, built with System.Xml.Linq: disks on a virtio-scsi controller (so a
/// guest sees sdX as on a physical machine, as the staging agent did), a virtio NIC per network, a serial
/// console. A network install boots the tree's kernel and initrd once; <see cref="AfterInstall"/> is the
/// definition every later boot uses.
/// </summary>
public static class StagingDomainXml
{
    public static readonly XNamespace Metadata = "https://orleanscloud.dev/xmlns/libvirt/local-api/1";

    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>The most disks one domain takes: sda to sdz.</summary>
    public const int MaxDisks = 26;

    public static XDocument Build(DomainDefinition definition, string domainType, IReadOnlyList<string> diskPaths, InstallFiles? install)
    {
        var os = new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "q35"), "hvm"));
        if (install is null)
        {
            os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        }
        else
        {
            os.Add(new XElement("kernel", install.KernelPath), new XElement("initrd", install.InitrdPath));
            if (!string.IsNullOrEmpty(install.Cmdline))
            {
                os.Add(new XElement("cmdline", install.Cmdline));
            }
        }

        var devices = new XElement("devices",
            new XElement("controller", new XAttribute("type", "scsi"), new XAttribute("index", 0), new XAttribute("model", "virtio-scsi")));
        for (var i = 0; i < diskPaths.Count; i++)
        {
            devices.Add(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2")),
                new XElement("source", new XAttribute("file", diskPaths[i])),
                new XElement("target", new XAttribute("dev", "sd" + Letters[i]), new XAttribute("bus", "scsi"))));
        }

        foreach (var network in definition.Networks)
        {
            devices.Add(new XElement("interface", new XAttribute("type", "network"),
                new XElement("source", new XAttribute("network", network)),
                new XElement("model", new XAttribute("type", "virtio"))));
        }

        devices.Add(new XElement("serial", new XAttribute("type", "pty")), new XElement("console", new XAttribute("type", "pty")));

        return new XDocument(new XElement("domain", new XAttribute("type", domainType),
            new XElement("name", definition.Name),
            new XElement("metadata",
                new XElement(Metadata + "host", new XAttribute(XNamespace.Xmlns + "ocl", Metadata),
                    install is null ? null : new XElement(Metadata + "install", install.Location))),
            new XElement("memory", new XAttribute("unit", "MiB"), definition.MemoryMb),
            new XElement("vcpu", 1),
            os,
            new XElement("features", new XElement("acpi"), new XElement("apic")),
            new XElement("on_poweroff", "destroy"),

            // The installer's closing reboot ends the install boot; the next start boots the disk.
            new XElement("on_reboot", install is null ? "restart" : "destroy"),
            new XElement("on_crash", "destroy"),
            devices));
    }

    /// <summary>Whether the definition still boots an installer (set by <see cref="Build"/>, cleared by <see cref="AfterInstall"/>).</summary>
    public static bool IsPendingInstall(XDocument domain) => domain.Descendants(Metadata + "install").Any();

    /// <summary>
    /// The same domain booting from its first disk: no kernel, initrd or command line, reboots restart. Given
    /// libvirt's own (inactive) definition, so its uuid, MACs and addresses stay.
    /// </summary>
    public static XDocument AfterInstall(XDocument domain)
    {
        var copy = new XDocument(domain);
        var root = copy.Root!;
        copy.Descendants(Metadata + "install").Remove();
        var os = root.Element("os")!;
        os.Elements().Where(e => e.Name.LocalName is "kernel" or "initrd" or "cmdline" or "boot").Remove();
        os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        root.Element("on_reboot")?.SetValue("restart");
        return copy;
    }

    /// <summary>Every file the domain's disks, kernel and initrd name.</summary>
    public static IReadOnlyList<string> Files(XDocument domain) =>
        [.. domain.Root!.Elements("devices").Elements("disk").Elements("source").Attributes("file").Select(a => a.Value)
            .Concat(domain.Root.Elements("os").Elements().Where(e => e.Name.LocalName is "kernel" or "initrd").Select(e => e.Value))];
}
