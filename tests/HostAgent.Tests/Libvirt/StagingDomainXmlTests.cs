using System.Xml.Linq;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Drivers.Libvirt;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

public sealed class StagingDomainXmlTests
{
    private static readonly DomainDefinition Definition = new("ns.example.com", 512, [8, 20], ["ns_example_com_vlan_10", "mgmt"], null);

    [Fact]
    public void Host_HasOneScsiDiskPerSize_OneVirtioNicPerNetwork_AndBootsItsDisk()
    {
        var domain = StagingDomainXml.Build(Definition, "kvm", ["/d/ns.example.com.0.qcow2", "/d/ns.example.com.1.qcow2"], install: null).Root!;

        Assert.Equal("ns.example.com", domain.Element("name")!.Value);
        Assert.Equal("512", domain.Element("memory")!.Value);
        Assert.Equal("MiB", domain.Element("memory")!.Attribute("unit")!.Value);
        Assert.Equal("hd", domain.Element("os")!.Element("boot")!.Attribute("dev")!.Value);
        Assert.Null(domain.Element("os")!.Element("kernel"));
        var devices = domain.Element("devices")!;
        Assert.Equal("virtio-scsi", devices.Element("controller")!.Attribute("model")!.Value);
        Assert.Equal(["sda", "sdb"], devices.Elements("disk").Select(d => d.Element("target")!.Attribute("dev")!.Value));
        Assert.All(devices.Elements("disk"), d => Assert.Equal("scsi", d.Element("target")!.Attribute("bus")!.Value));
        Assert.Equal(["ns_example_com_vlan_10", "mgmt"], devices.Elements("interface").Select(i => i.Element("source")!.Attribute("network")!.Value));
        Assert.Equal("restart", domain.Element("on_reboot")!.Value);
        Assert.False(StagingDomainXml.IsPendingInstall(domain.Document!));
    }

    [Fact]
    public void Install_BootsTheKernelOnce_ThenTheDiskForEver()
    {
        var install = new InstallFiles("http://tree/", "/d/ns.example.com.kernel", "/d/ns.example.com.initrd", "console=ttyS0 <&>");
        var document = StagingDomainXml.Build(Definition, "qemu", ["/d/0.qcow2", "/d/1.qcow2"], install);
        var os = document.Root!.Element("os")!;

        Assert.Equal("/d/ns.example.com.kernel", os.Element("kernel")!.Value);
        Assert.Equal("/d/ns.example.com.initrd", os.Element("initrd")!.Value);
        Assert.Equal("console=ttyS0 <&>", os.Element("cmdline")!.Value);
        Assert.Null(os.Element("boot"));
        Assert.Equal("destroy", document.Root.Element("on_reboot")!.Value);
        Assert.True(StagingDomainXml.IsPendingInstall(document));
        Assert.Equal(["/d/0.qcow2", "/d/1.qcow2", "/d/ns.example.com.kernel", "/d/ns.example.com.initrd"], StagingDomainXml.Files(document));

        var after = StagingDomainXml.AfterInstall(XDocument.Parse(document.ToString()));

        Assert.False(StagingDomainXml.IsPendingInstall(after));
        Assert.Equal(["type", "boot"], after.Root!.Element("os")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("restart", after.Root.Element("on_reboot")!.Value);
        Assert.Equal(2, after.Root.Descendants("disk").Count());
        Assert.True(StagingDomainXml.IsPendingInstall(document), "the original is left as it was");
    }

    [Fact]
    public void InstallLocation_WithoutATrailingSlash_StillKeepsItsLastSegment()
    {
        var root = InstallTree.Base(new Uri("http://archive/ubuntu/dists/xenial/main/installer-amd64"));

        Assert.Equal("http://archive/ubuntu/dists/xenial/main/installer-amd64/current/images/netboot/ubuntu-installer/amd64/linux",
            new Uri(root, InstallTree.Layouts[2].Kernel).AbsoluteUri);
    }

    [Fact]
    public void VirshTables_ReadIdsStatesWithSpacesAndNetworkFlags()
    {
        var domains = VirshTables.Domains("""
             Id   Name             State
            ---------------------------------
             3    ns.example.com   running
             -    web-1            shut off

            """);
        var networks = VirshTables.Networks("""
             Name                    State      Autostart   Persistent
            -------------------------------------------------------------
             default                 inactive   no          yes
             ns_example_com_vlan_10  active     yes         yes
            """);

        Assert.Equal([new DomainInfo(3, "ns.example.com", "running"), new DomainInfo(null, "web-1", "shut off")], domains);
        Assert.Equal([new VirtualNetworkInfo("default", false, false, true), new VirtualNetworkInfo("ns_example_com_vlan_10", true, true, true)], networks);
        Assert.Empty(VirshTables.Domains(" Id   Name   State\n-----------------\n\n"));
    }
}
