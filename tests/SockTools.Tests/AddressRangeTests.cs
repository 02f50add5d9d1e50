using System;
using System.Net;
using Xunit;

namespace SockTools.Tests;

/// <summary>AddressRange: what -LocalAddress and -RemoteAddress accept, reject, and match.</summary>
public sealed class AddressRangeTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 32)]
    [InlineData("::1", "::1", 128)]
    [InlineData("[::1]", "::1", 128)]
    [InlineData("[::1]/128", "::1", 128)]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("fe80::/10", "fe80::", 10)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("::/0", "::", 0)]
    [InlineData("10.1.2.3/8", "10.0.0.0", 8)]           // host bits are cleared
    [InlineData("192.168.77.129/25", "192.168.77.128", 25)]
    [InlineData("fe80::1:2/64", "fe80::", 64)]
    [InlineData("2001:db8::ffff/127", "2001:db8::fffe", 127)]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1", 128)]
    [InlineData("  10.0.0.0/8 ", "10.0.0.0", 8)]         // surrounding blanks are trimmed
    public void ParsesAddressesAndRanges(string text, string network, int prefix)
    {
        AddressRange range = AddressRange.Parse(text);

        Assert.Equal(IPAddress.Parse(network), range.Network);
        Assert.Equal(prefix, range.PrefixLength);
        Assert.Equal(text.Trim(), range.ToString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("1.2.3")]
    [InlineData("1")]          // IPAddress.TryParse would take this as 0.0.0.1
    [InlineData("10.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("[::1")]
    [InlineData("::1]")]
    [InlineData("/8")]
    [InlineData("example.com")]
    public void RejectsWhatIsNotAnAddress(string text)
    {
        var error = Assert.Throws<FormatException>(() => AddressRange.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("is not an IP address or CIDR range", error.Message);
        Assert.Contains("10.0.0.0/8", error.Message); // says what is valid
    }

    [Theory]
    [InlineData("10.0.0.0/33", "33", "0 to 32")]
    [InlineData("::1/129", "129", "0 to 128")]
    [InlineData("fe80::/200", "200", "0 to 128")]
    public void RejectsPrefixTooLong(string text, string prefix, string valid)
    {
        var error = Assert.Throws<FormatException>(() => AddressRange.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains($"prefix length {prefix}", error.Message);
        Assert.Contains(valid, error.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/x")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/99999999999")]
    public void RejectsBadPrefix(string text)
    {
        var error = Assert.Throws<FormatException>(() => AddressRange.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("no valid prefix length", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void RejectsEmpty(string text)
    {
        var error = Assert.Throws<FormatException>(() => AddressRange.Parse(text));

        Assert.Contains("''", error.Message);
    }

    [Fact]
    public void TryParseTakesNull()
    {
        Assert.False(AddressRange.TryParse(null, out AddressRange? range, out string? problem));
        Assert.Null(range);
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("192.168.1.0/31", "192.168.1.1", true)]
    [InlineData("192.168.1.0/31", "192.168.1.2", false)]
    [InlineData("192.168.1.128/25", "192.168.1.127", false)]
    [InlineData("192.168.1.128/25", "192.168.1.255", true)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "0.0.0.0", true)]
    [InlineData("128.0.0.0/1", "127.255.255.255", false)]
    [InlineData("128.0.0.0/1", "128.0.0.0", true)]
    public void ContainsIpv4(string range, string address, bool expected)
    {
        Assert.Equal(expected, AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "::2", false)]
    [InlineData("fe80::/10", "fe80::1", true)]
    [InlineData("fe80::/10", "febf:ffff::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    [InlineData("fe80::/10", "fe7f::1", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("2001:db8:0:1::/64", "2001:db8:0:1:ffff:ffff:ffff:ffff", true)] // prefix exactly at the 64-bit half
    [InlineData("2001:db8:0:1::/64", "2001:db8:0:2::", false)]
    [InlineData("2001:db8:0:1:8000::/65", "2001:db8:0:1:ffff::", true)]
    [InlineData("2001:db8:0:1:8000::/65", "2001:db8:0:1:7fff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8::/127", "2001:db8::1", true)]
    [InlineData("2001:db8::/127", "2001:db8::2", false)]
    [InlineData("8000::/1", "7fff::", false)]
    [InlineData("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("::/0", "::", true)]
    public void ContainsIpv6(string range, string address, bool expected)
    {
        Assert.Equal(expected, AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.20.30.40", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.0.0.1", false)]
    [InlineData("0.0.0.0/0", "::ffff:1.2.3.4", true)]
    public void Ipv4RangeMatchesIpv4MappedIpv6(string range, string address, bool expected)
    {
        Assert.Equal(expected, AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "::")]
    [InlineData("0.0.0.0/0", "::1")]
    [InlineData("127.0.0.0/8", "::1")]
    [InlineData("127.0.0.1", "::127.0.0.1")]   // IPv4-compatible, not IPv4-mapped
    [InlineData("10.0.0.0/8", "fe80::a00:1")]
    public void Ipv4RangeDoesNotMatchOtherIpv6(string range, string address)
    {
        Assert.False(AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::1", "127.0.0.1")]
    [InlineData("::1/128", "0.0.0.1")]
    [InlineData("fe80::/10", "127.0.0.1")]
    [InlineData("2001:db8::/32", "32.1.13.184")]  // the same leading bytes 20 01 0d b8
    [InlineData("::/96", "10.0.0.1")]             // IPv4-compatible range, not the mapped one
    public void Ipv6RangeDoesNotMatchPlainIpv4(string range, string address)
    {
        Assert.False(AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:0:0/96", "10.1.2.3")]
    [InlineData("::ffff:10.0.0.0/104", "10.200.0.1")]
    public void MappedIpv6RangeMatchesPlainIpv4(string range, string address)
    {
        // The documented exception: a range inside ::ffff:0:0/96 names IPv4 addresses.
        Assert.True(AddressRange.Parse(range).Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void ScopeIdIsIgnored()
    {
        Assert.True(AddressRange.Parse("fe80::/10").Contains(IPAddress.Parse("fe80::1%2")));
        Assert.True(AddressRange.Parse("fe80::1").Contains(IPAddress.Parse("fe80::1%3")));
    }

    [Fact]
    public void InternalContainsTakesAddressValues()
    {
        var range = AddressRange.Parse("10.0.0.0/8");

        Assert.True(range.Contains(AddressValue.FromV4(0x0A01_0203)));
        Assert.False(range.Contains(AddressValue.FromV4(0x0B01_0203)));
        Assert.True(range.Contains(new AddressValue(true, 0, 0xFFFF_0A01_0203UL)));
    }
}
