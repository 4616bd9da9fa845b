using System.Text.Json.Nodes;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

/// <summary>What a VM on tenant networks becomes on libvirt: one NIC per interface, and cloud-init's static network configuration.</summary>
public sealed class TenantInterfaceTests
{
    private static readonly VmInterface Front = new("net-aaa", "front", "vm-1/nic0", "52:54:00:0a:0b:0c", "10.1.2.5", "10.1.2.0/24", "10.1.2.1", 101);
    private static readonly VmInterface Back = new("net-bbb", "back", "vm-1/nic1", "52:54:00:0d:0e:0f", "172.16.0.9", "172.16.0.0/20", "172.16.0.1", 102);
    private static readonly VmSpec Spec = new("web", 1, 512, 3, "debian-12-genericcloud", 2, "{}", null, Interfaces: [Front, Back]);

    [Fact]
    public void EachInterface_IsAVirtioNic_OnItsNetworksLibvirtNetwork_WithItsMac_InOrder_AndTheHostNetworkIsIgnored()
    {
        var devices = DomainXml.Build("vm-1", Spec, "op", "kvm", "/d", "/s", network: "default", Spec.Interfaces).Root!.Element("devices")!;

        var nics = devices.Elements("interface").ToList();
        Assert.Equal(["net-aaa", "net-bbb"], nics.Select(n => n.Element("source")!.Attribute("network")!.Value));
        Assert.Equal([Front.Mac, Back.Mac], nics.Select(n => n.Element("mac")!.Attribute("address")!.Value));
        Assert.All(nics, n => Assert.Equal("virtio", n.Element("model")!.Attribute("type")!.Value));
    }

    [Fact]
    public void TheNetworkConfig_GivesEachMacItsStaticAddress_AndTheFirstTheDefaultRoute()
    {
        var config = JsonNode.Parse(CloudInitSeed.NetworkConfig(Spec.Interfaces)!)!;

        Assert.Equal(2, config["version"]!.GetValue<int>());
        var eth0 = config["ethernets"]!["eth0"]!;
        var eth1 = config["ethernets"]!["eth1"]!;
        Assert.Equal(Front.Mac, eth0["match"]!["macaddress"]!.GetValue<string>());
        Assert.Equal("10.1.2.5/24", eth0["addresses"]![0]!.GetValue<string>());
        Assert.Equal("10.1.2.1", eth0["routes"]![0]!["via"]!.GetValue<string>());
        Assert.Equal("172.16.0.9/20", eth1["addresses"]![0]!.GetValue<string>());
        Assert.Null(eth1["routes"]);
        Assert.Null(CloudInitSeed.NetworkConfig(null));
        Assert.Contains("/seed/network-config", CloudInitSeed.IsoArguments("/x.iso", "/seed", withNetworkConfig: true));
        Assert.DoesNotContain("/seed/network-config", CloudInitSeed.IsoArguments("/x.iso", "/seed"));
    }

    [Fact]
    public void DomiflistSources_AreReadAsTenantNetworks_OnlyWhenTheyAreOurs()
    {
        const string domiflist = """
             Interface   Type      Source    Model    MAC
            ------------------------------------------------------------
             vnet3       network   net-aaa   virtio   52:54:00:0a:0b:0c
             vnet4       network   default   virtio   52:54:00:11:22:33
            """;

        Assert.Equal(["net-aaa"], LibvirtDriver.TenantNetworksIn(domiflist));
    }

    [Fact]
    public void AnInterfacesIndex_AndPrefix_ComeFromItsOwnerAndSubnet()
    {
        Assert.Equal(1, Back.Index);
        Assert.Equal(20, Back.PrefixLength);
        Assert.Equal(2, VmInterface.NextIndex([Front, Back]));
        Assert.Equal(0, VmInterface.NextIndex(null));
    }
}
