using OrleansCloud.Common;
using OrleansCloud.Networks;

namespace OrleansCloud.Grains.Tests.Networks;

public sealed class AddressBookTests
{
    private static Ipv4Subnet Subnet(string cidr) => Ipv4Subnet.TryParse(cidr, out var subnet) ? subnet : throw new ArgumentException(cidr);

    private static uint Address(string text) => Ipv4Subnet.TryParseAddress(text, out var address) ? address : throw new ArgumentException(text);

    [Theory]
    [InlineData("10.0.1.0/24", "10.0.1.0", 24, "10.0.1.255")]
    [InlineData("192.168.0.0/16", "192.168.0.0", 16, "192.168.255.255")]
    [InlineData("172.16.4.0/30", "172.16.4.0", 30, "172.16.4.3")]
    public void ASubnet_ParsesAndFormats(string cidr, string network, int prefix, string broadcast)
    {
        var subnet = Subnet(cidr);

        Assert.Equal(network, Ipv4Subnet.Format(subnet.Network));
        Assert.Equal(prefix, subnet.Prefix);
        Assert.Equal(broadcast, Ipv4Subnet.Format(subnet.Broadcast));
        Assert.Equal(cidr, subnet.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.0.1.0")]
    [InlineData("10.0.1.5/24")]
    [InlineData("10.0.1.0/31")]
    [InlineData("10.0.0.0/7")]
    [InlineData("10.0.1/24")]
    [InlineData("10.0.1.0/+24")]
    [InlineData("300.0.1.0/24")]
    [InlineData("::1/64")]
    [InlineData("10.0.1.0/24/8")]
    public void ABadSubnet_IsRefused(string? cidr) => Assert.False(Ipv4Subnet.TryParse(cidr, out _));

    [Fact]
    public void Addresses_SkipTheNetworkTheGatewayAndTheBroadcast_AndAreNeverHandedOutTwice()
    {
        var subnet = Subnet("10.0.1.0/29"); // hosts .1-.6, gateway .1
        var book = new AddressBook();

        var given = Enumerable.Range(0, 5).Select(i => book.Allocate(subnet, Address("10.0.1.1"), $"nic-{i}").Value).ToList();
        var full = book.Allocate(subnet, Address("10.0.1.1"), "nic-5");

        Assert.Equal(["10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5", "10.0.1.6"], given);
        Assert.False(full.IsSuccess);
        Assert.Equal(ErrorCodes.NoCapacity, full.Error!.Code);
    }

    [Fact]
    public void AnOwnerAskingAgain_GetsTheAddressItHas()
    {
        var subnet = Subnet("10.0.1.0/24");
        var book = new AddressBook();

        var first = book.Allocate(subnet, subnet.FirstHost, "nic-a").Value;
        var again = book.Allocate(subnet, subnet.FirstHost, "nic-a").Value;

        Assert.Equal(first, again);
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void AFreedAddress_IsReusedOnlyAfterTheNeverUsedOnes()
    {
        var subnet = Subnet("10.0.1.0/29");
        var book = new AddressBook();
        var a = book.Allocate(subnet, subnet.FirstHost, "a").Value; // .2
        book.Allocate(subnet, subnet.FirstHost, "b");                // .3

        Assert.True(book.Release("a"));
        var next = book.Allocate(subnet, subnet.FirstHost, "c").Value;
        book.Allocate(subnet, subnet.FirstHost, "d");
        book.Allocate(subnet, subnet.FirstHost, "e");
        var wrapped = book.Allocate(subnet, subnet.FirstHost, "f").Value;

        Assert.Equal("10.0.1.4", next);
        Assert.Equal(a, wrapped);
    }

    [Fact]
    public void SubnetsOverlap_OnlyWhenTheyShareAnAddress()
    {
        Assert.True(Subnet("10.0.0.0/16").Overlaps(Subnet("10.0.5.0/24")));
        Assert.False(Subnet("10.0.4.0/24").Overlaps(Subnet("10.0.5.0/24")));
    }
}

public sealed class SubnetBookTests
{
    private static Ipv4Subnet Pool(string cidr) => Ipv4Subnet.TryParse(cidr, out var subnet) ? subnet : throw new ArgumentException(cidr);

    [Fact]
    public void CarvedSubnets_AreConsecutive_AndSkipGivenOnes()
    {
        var book = new SubnetBook();
        var pool = Pool("10.0.0.0/16");

        var given = book.Allocate("net-given", "10.0.1.0/24", pool, 24);
        var carved = Enumerable.Range(0, 3).Select(i => book.Allocate($"net-{i}", null, pool, 24).Value).ToList();

        Assert.Equal("10.0.1.0/24", given.Value);
        Assert.Equal(["10.0.0.0/24", "10.0.2.0/24", "10.0.3.0/24"], carved);
        Assert.Equal("10.0.2.0/24", book.Allocate("net-1", null, pool, 24).Value);
    }

    [Fact]
    public void AGivenSubnetOverlappingAnother_IsAConflict()
    {
        var book = new SubnetBook();
        book.Allocate("net-a", "10.0.0.0/16", Pool("10.0.0.0/8"), 24);

        var refused = book.Allocate("net-b", "10.0.5.0/24", Pool("10.0.0.0/8"), 24);

        Assert.Equal(ErrorCodes.Conflict, refused.Error!.Code);
        Assert.Single(book.Networks);
    }

    [Fact]
    public void AFullPool_IsNoCapacity_AndAReleasedSubnetIsCarvedAgain()
    {
        var book = new SubnetBook();
        var pool = Pool("10.9.0.0/23");
        book.Allocate("a", null, pool, 24);
        book.Allocate("b", null, pool, 24);

        Assert.Equal(ErrorCodes.NoCapacity, book.Allocate("c", null, pool, 24).Error!.Code);
        Assert.True(book.Release("a"));
        Assert.Equal("10.9.0.0/24", book.Allocate("c", null, pool, 24).Value);
    }

    [Fact]
    public void ALargeHeldSubnet_IsSkippedInOneStep()
    {
        var book = new SubnetBook();
        var pool = Pool("10.0.0.0/8");
        book.Allocate("big", "10.0.0.0/9", pool, 24);

        Assert.Equal("10.128.0.0/24", book.Allocate("next", null, pool, 24).Value);
    }
}
