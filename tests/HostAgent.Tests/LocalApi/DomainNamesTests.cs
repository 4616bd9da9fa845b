using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

public sealed class DomainNamesTests
{
    [Theory]
    [InlineData("ns.example.com")]
    [InlineData("web-1")]
    [InlineData("a")]
    [InlineData("0.1-b.example")]
    public void HostNames_AsDeploymentsSpellThem_AreAccepted(string name) => Assert.True(DomainNames.IsHostName(name));

    [Theory]
    [InlineData("")]
    [InlineData("Ns.example.com")]
    [InlineData("ns_example_com")]
    [InlineData("ns..example.com")]
    [InlineData(".example.com")]
    [InlineData("example.com.")]
    [InlineData("-rf")]
    [InlineData("web-.example.com")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("x;reboot")]
    [InlineData("$(id)")]
    [InlineData("<a>")]
    public void OtherHostNames_AreRefused(string name) => Assert.False(DomainNames.IsHostName(name));

    [Fact]
    public void HostNames_AreBoundedByDns()
    {
        Assert.True(DomainNames.IsHostName(new string('a', 63)));
        Assert.False(DomainNames.IsHostName(new string('a', 64)));
        Assert.True(DomainNames.IsHostName(string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253]));
        Assert.False(DomainNames.IsHostName(string.Join('.', Enumerable.Repeat(new string('a', 63), 4))));
    }

    [Theory]
    [InlineData("ns_example_com_vlan_10", true)]
    [InlineData("default", true)]
    [InlineData("Tenant-Net.1", true)]
    [InlineData("_hidden", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("n$(id)", false)]
    [InlineData("", false)]
    public void NetworkNames_MayHoldUnderscores_AndNothingAShellOrAPathReads(string name, bool valid) =>
        Assert.Equal(valid, DomainNames.IsNetworkName(name));

    [Theory]
    [InlineData("br0", true)]
    [InlineData("br-tenants", true)]
    [InlineData("br_int", true)]
    [InlineData("abcdefghijklmno", true)]
    [InlineData("abcdefghijklmnop", false)]
    [InlineData("br0 --", false)]
    [InlineData("br.0", false)]
    [InlineData("-br", false)]
    public void BridgeNames_AreLinuxInterfaceNames(string name, bool valid) => Assert.Equal(valid, DomainNames.IsBridgeName(name));
}
