using System.Xml.Linq;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.HostAgent.Drivers.Ovs;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

public sealed class DomainXmlTests
{
    private static readonly VmSpec Spec = new("web", 2, 2048, 20, "debian-12-genericcloud", 2, """{"users":[{"name":"ops"}]}""", null);

    [Fact]
    public void Domain_HasTheDiskAndSeedOnVirtioScsi_AndTheSizes()
    {
        var domain = DomainXml.Build("vm-1", Spec, "tsk-1/main", "kvm", "/d/vm-1.qcow2", "/d/vm-1-seed.iso", "tenant-net").Root!;

        Assert.Equal("kvm", domain.Attribute("type")!.Value);
        Assert.Equal("vm-1", domain.Element("name")!.Value);
        Assert.Equal("2048", domain.Element("memory")!.Value);
        Assert.Equal("MiB", domain.Element("memory")!.Attribute("unit")!.Value);
        Assert.Equal("2", domain.Element("vcpu")!.Value);
        Assert.Equal("q35", domain.Element("os")!.Element("type")!.Attribute("machine")!.Value);
        var devices = domain.Element("devices")!;
        Assert.Equal("virtio-scsi", devices.Element("controller")!.Attribute("model")!.Value);
        var disks = devices.Elements("disk").ToList();
        Assert.Equal(["disk", "cdrom"], disks.Select(d => d.Attribute("device")!.Value));
        Assert.All(disks, d => Assert.Equal("scsi", d.Element("target")!.Attribute("bus")!.Value));
        Assert.Equal("/d/vm-1.qcow2", disks[0].Element("source")!.Attribute("file")!.Value);
        Assert.NotNull(disks[1].Element("readonly"));
        Assert.Equal("tenant-net", devices.Element("interface")!.Element("source")!.Attribute("network")!.Value);
        Assert.Equal("tsk-1/main", domain.Descendants(DomainXml.Metadata + "operation").Single().Value);
    }

    [Fact]
    public void GenerationOne_IsThePcMachine_AndNoNetworkMeansNoInterface()
    {
        var domain = DomainXml.Build("vm-1", Spec with { Generation = 1 }, "op", "qemu", "/d", "/s", network: null).Root!;

        Assert.Equal("pc", domain.Element("os")!.Element("type")!.Attribute("machine")!.Value);
        Assert.Equal("qemu", domain.Attribute("type")!.Value);
        Assert.Null(domain.Element("devices")!.Element("interface"));
    }

    [Fact]
    public void CloudInitSeed_IsACloudConfigWithTheTasksJson_AndMetaDataNamesTheHost()
    {
        Assert.Equal("#cloud-config\n{\"users\":[{\"name\":\"ops\"}]}\n", CloudInitSeed.UserData(Spec.CloudInitJson));
        Assert.Equal("instance-id: vm-1\nlocal-hostname: web\n", CloudInitSeed.MetaData("vm-1", "web"));
        Assert.Throws<ArgumentException>(() => CloudInitSeed.UserData("[1]"));
    }

    [Fact]
    public void OvsNetwork_IsABridgeForwardWithAVirtualPortAndTheVlan()
    {
        var network = OvsNetworkDriver.Xml(new NetworkSpec("tenant-net", "br-tenants", 42)).Root!;

        Assert.Equal("bridge", network.Element("forward")!.Attribute("mode")!.Value);
        Assert.Equal("br-tenants", network.Element("bridge")!.Attribute("name")!.Value);
        Assert.Equal("openvswitch", network.Element("virtualport")!.Attribute("type")!.Value);
        Assert.Equal("42", network.Element("vlan")!.Element("tag")!.Attribute("id")!.Value);
    }
}
