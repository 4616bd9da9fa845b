using System.Xml.Linq;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>Builds a domain definition with System.Xml.Linq, so no value is ever spliced into XML text.</summary>
public static class DomainXml
{
    public static readonly XNamespace Metadata = "https://orleanscloud.dev/xmlns/libvirt/1";

    /// <summary>
    /// One VM: the qcow2 disk and the cloud-init seed on a virtio-scsi controller, a virtio NIC per
    /// tenant interface (its network's libvirt network, its MAC), else one on <paramref name="network"/>
    /// when given, a serial console. Generation 1 is the i440fx machine, 2 is q35.
    /// </summary>
    public static XDocument Build(string vmId, VmSpec spec, string operationId, string domainType, string diskPath, string seedPath, string? network,
        IReadOnlyList<VmInterface>? interfaces = null)
    {
        var devices = new XElement("devices",
            new XElement("controller", new XAttribute("type", "scsi"), new XAttribute("index", 0), new XAttribute("model", "virtio-scsi")),
            Disk("disk", "qcow2", diskPath, "sda", readOnly: false),
            Disk("cdrom", "raw", seedPath, "sdb", readOnly: true),
            new XElement("serial", new XAttribute("type", "pty")),
            new XElement("console", new XAttribute("type", "pty")));
        foreach (var nic in interfaces ?? [])
        {
            devices.Add(new XElement("interface", new XAttribute("type", "network"),
                new XElement("mac", new XAttribute("address", nic.Mac)),
                new XElement("source", new XAttribute("network", nic.NetworkId)),
                new XElement("model", new XAttribute("type", "virtio"))));
        }

        if (network is not null && interfaces is not { Count: > 0 })
        {
            devices.Add(new XElement("interface", new XAttribute("type", "network"),
                new XElement("source", new XAttribute("network", network)),
                new XElement("model", new XAttribute("type", "virtio"))));
        }

        var domain = new XElement("domain", new XAttribute("type", domainType),
            new XElement("name", vmId),
            new XElement("metadata",
                new XElement(Metadata + "instance", new XAttribute(XNamespace.Xmlns + "oc", Metadata),
                    new XElement(Metadata + "name", spec.Name),
                    new XElement(Metadata + "operation", operationId),
                    new XElement(Metadata + "image", spec.ImageId))),
            new XElement("memory", new XAttribute("unit", "MiB"), spec.RamMb),
            new XElement("vcpu", spec.Cpu),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", spec.Generation == 1 ? "pc" : "q35"), "hvm"),
                new XElement("boot", new XAttribute("dev", "hd"))),
            new XElement("features", new XElement("acpi"), new XElement("apic")),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            devices);
        return new XDocument(domain);
    }

    private static XElement Disk(string device, string format, string path, string target, bool readOnly) =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", device),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", format)),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", "scsi")),
            readOnly ? new XElement("readonly") : null);
}
