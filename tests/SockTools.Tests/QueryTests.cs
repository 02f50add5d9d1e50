using System.Net;
using System.Text;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>PortSet, SocketQuery.Matches, AddressValue and the /proc/&lt;pid&gt;/fd link parser.</summary>
public sealed class QueryTests
{
    // ---- PortSet ----

    [Fact]
    public void PortSetHoldsExactlyItsPorts()
    {
        var set = new PortSet(new[] { 0, 1, 63, 64, 443, 65535 });

        Assert.Equal(6, set.Count);
        foreach (ushort port in new ushort[] { 0, 1, 63, 64, 443, 65535 })
        {
            Assert.True(set.Contains(port), $"{port}");
        }

        foreach (ushort port in new ushort[] { 2, 62, 65, 127, 128, 442, 444, 65534 })
        {
            Assert.False(set.Contains(port), $"{port}");
        }
    }

    [Fact]
    public void PortSetCountsEachPortOnceAndListsThemInOrder()
    {
        var set = new PortSet(new[] { 443, 22, 65535, 22, 0, 443, 64 });

        Assert.Equal(5, set.Count);
        Assert.Equal(new ushort[] { 0, 22, 64, 443, 65535 }, set.Members());
    }

    [Fact]
    public void EmptyPortSetHoldsNothing()
    {
        var set = new PortSet(System.Array.Empty<int>());

        Assert.Equal(0, set.Count);
        Assert.Empty(set.Members());
        Assert.False(set.Contains(0));
        Assert.False(set.Contains(80));
    }

    // ---- SocketQuery.Matches ----

    [Fact]
    public void DefaultQueryMatchesEveryRealRow()
    {
        var query = new SocketQuery();

        Assert.True(query.Matches(Row()));
        Assert.True(query.Matches(Row(state: KernelStates.Listen, remote: "0.0.0.0", remotePort: 0)));
        Assert.True(query.Matches(Row(local: "::1", remote: "::1")));
        Assert.True(query.Matches(Row(protocol: SocketProtocol.Udp, state: KernelStates.Close)));
        Assert.True(query.Matches(Row(protocol: SocketProtocol.Udp, state: KernelStates.Established)));
    }

    [Fact]
    public void StatesAndProtocolsFilterRows()
    {
        var query = new SocketQuery { States = new[] { SocketState.Listen }, IncludeUdp = false };

        Assert.True(query.Matches(Row(state: KernelStates.Listen)));
        Assert.False(query.Matches(Row(state: KernelStates.Established)));
        Assert.False(query.Matches(Row(protocol: SocketProtocol.Udp, state: KernelStates.Close)));
        Assert.Equal(0u, KernelStates.MaskFor(query, SocketProtocol.Udp));
        Assert.Equal(KernelStates.Bit(KernelStates.Listen), KernelStates.MaskFor(query, SocketProtocol.Tcp));
    }

    [Fact]
    public void OneStateSetServesBothProtocols()
    {
        var query = new SocketQuery { States = new[] { SocketState.Listen, SocketState.Unconnected } }; // Get-SockListener

        Assert.True(query.Matches(Row(state: KernelStates.Listen)));
        Assert.True(query.Matches(Row(protocol: SocketProtocol.Udp, state: KernelStates.Close)));
        Assert.False(query.Matches(Row(protocol: SocketProtocol.Udp, state: KernelStates.Established)));
        Assert.Equal(KernelStates.Bit(KernelStates.Listen), KernelStates.MaskFor(query, SocketProtocol.Tcp));
        Assert.Equal(KernelStates.Bit(KernelStates.Close), KernelStates.MaskFor(query, SocketProtocol.Udp));
    }

    [Fact]
    public void WithoutStatesTheKernelIsNotAskedForSocketsThatAreOnlyBound()
    {
        var query = new SocketQuery();

        Assert.Equal(KernelStates.AllTcpStates, KernelStates.MaskFor(query, SocketProtocol.Tcp));
        Assert.Equal(0u, KernelStates.MaskFor(query, SocketProtocol.Tcp) & KernelStates.Bit(KernelStates.BoundInactive));
        query.States = new[] { SocketState.Bound };
        Assert.NotEqual(0u, KernelStates.MaskFor(query, SocketProtocol.Tcp) & KernelStates.Bit(KernelStates.BoundInactive));
    }

    [Fact]
    public void LocalAndRemotePorts()
    {
        var local = new SocketQuery { LocalPorts = new PortSet(new[] { 8080 }) };
        var remote = new SocketQuery { RemotePorts = new PortSet(new[] { 8080 }) };

        Assert.True(local.Matches(Row(localPort: 8080, remotePort: 5000)));
        Assert.False(local.Matches(Row(localPort: 5000, remotePort: 8080)));
        Assert.True(remote.Matches(Row(localPort: 5000, remotePort: 8080)));
        Assert.False(remote.Matches(Row(localPort: 8080, remotePort: 5000)));
    }

    [Fact]
    public void AnyPortMatchesEitherEnd()
    {
        var query = new SocketQuery { AnyPorts = new PortSet(new[] { 22, 443 }) };

        Assert.True(query.Matches(Row(localPort: 22, remotePort: 50000)));
        Assert.True(query.Matches(Row(localPort: 50000, remotePort: 443)));
        Assert.False(query.Matches(Row(localPort: 50000, remotePort: 50001)));
    }

    [Fact]
    public void LocalAndRemoteRanges()
    {
        var query = new SocketQuery
        {
            LocalAddresses = new[] { AddressRange.Parse("10.0.0.0/8"), AddressRange.Parse("::1") },
            RemoteAddresses = new[] { AddressRange.Parse("192.168.0.0/16") },
        };

        Assert.True(query.Matches(Row(local: "10.9.8.7", remote: "192.168.1.1")));
        Assert.False(query.Matches(Row(local: "11.9.8.7", remote: "192.168.1.1")));
        Assert.False(query.Matches(Row(local: "10.9.8.7", remote: "192.169.1.1")));
        Assert.True(query.Matches(Row(local: "::ffff:10.0.0.1", remote: "::ffff:192.168.0.1"))); // dual-stack socket
        Assert.False(query.Matches(Row(local: "::1", remote: "::1")));                            // remote is v6
    }

    [Fact]
    public void AddressFamily()
    {
        var onlyV4 = new SocketQuery { IncludeIPv6 = false };
        var onlyV6 = new SocketQuery { IncludeIPv4 = false };

        Assert.True(onlyV4.Matches(Row(local: "127.0.0.1", remote: "127.0.0.1")));
        Assert.False(onlyV4.Matches(Row(local: "::1", remote: "::1")));
        Assert.False(onlyV4.Matches(Row(local: "::ffff:127.0.0.1", remote: "::ffff:127.0.0.1"))); // an AF_INET6 socket
        Assert.True(onlyV6.Matches(Row(local: "::1", remote: "::1")));
        Assert.False(onlyV6.Matches(Row(local: "127.0.0.1", remote: "127.0.0.1")));
    }

    [Fact]
    public void ExposureOfTheLocalAddress()
    {
        var loopback = new SocketQuery { Exposures = new[] { Exposure.Loopback } };
        var wide = new SocketQuery { Exposures = new[] { Exposure.AllInterfaces, Exposure.Address } };

        Assert.True(loopback.Matches(Row(local: "127.0.0.53", remote: "0.0.0.0")));
        Assert.True(loopback.Matches(Row(local: "::ffff:127.0.0.1", remote: "::")));
        Assert.True(loopback.Matches(Row(local: "::1", remote: "::")));
        Assert.False(loopback.Matches(Row(local: "0.0.0.0", remote: "0.0.0.0")));
        Assert.True(wide.Matches(Row(local: "0.0.0.0", remote: "0.0.0.0")));
        Assert.True(wide.Matches(Row(local: "::", remote: "::")));
        Assert.True(wide.Matches(Row(local: "192.168.1.5", remote: "127.0.0.1"))); // the remote end does not count
        Assert.False(wide.Matches(Row(local: "127.0.0.1", remote: "192.168.1.5")));
    }

    [Fact]
    public void FiltersCombineWithAnd()
    {
        var query = new SocketQuery
        {
            States = new[] { SocketState.Established },
            LocalPorts = new PortSet(new[] { 443 }),
            RemoteAddresses = new[] { AddressRange.Parse("10.0.0.0/8") },
            IncludeIPv6 = false,
        };

        Assert.True(query.Matches(Row(localPort: 443, remote: "10.1.1.1")));
        Assert.False(query.Matches(Row(localPort: 443, remote: "10.1.1.1", state: KernelStates.TimeWait)));
        Assert.False(query.Matches(Row(localPort: 444, remote: "10.1.1.1")));
        Assert.False(query.Matches(Row(localPort: 443, remote: "11.1.1.1")));
    }

    [Fact]
    public void OwnerFiltersAreNotRowFilters()
    {
        var query = new SocketQuery { ProcessIds = new[] { 1 }, ProcessNameMatch = _ => false };

        Assert.True(query.FiltersOnOwner);
        Assert.True(query.Matches(Row())); // owners are checked later, after the lookup
        Assert.False(new SocketQuery().FiltersOnOwner);
    }

    // ---- AddressValue ----

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.255.254", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:127.1.2.3", true)]
    [InlineData("126.255.255.255", false)]
    [InlineData("128.0.0.1", false)]
    [InlineData("::2", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::127.0.0.1", false)]  // IPv4-compatible, not mapped
    [InlineData("1::1", false)]
    public void IsLoopback(string address, bool expected)
    {
        Assert.Equal(expected, Value(address).IsLoopback);
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("::ffff:0.0.0.0", false)]
    [InlineData("0.0.0.1", false)]
    [InlineData("::1", false)]
    public void IsAny(string address, bool expected)
    {
        Assert.Equal(expected, Value(address).IsAny);
    }

    [Theory]
    [InlineData("0.0.0.0", Exposure.AllInterfaces)]
    [InlineData("::", Exposure.AllInterfaces)]
    [InlineData("127.0.0.1", Exposure.Loopback)]
    [InlineData("::1", Exposure.Loopback)]
    [InlineData("::ffff:127.0.0.1", Exposure.Loopback)]
    [InlineData("10.0.0.5", Exposure.Address)]
    [InlineData("fe80::1", Exposure.Address)]
    [InlineData("::ffff:10.0.0.5", Exposure.Address)]
    public void ExposureOfAnAddress(string address, Exposure expected)
    {
        Assert.Equal(expected, Value(address).Exposure);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fe80::a00:27ff:fe4e:66a1")]
    [InlineData("2001:db8::1")]
    public void ToStringIsTheCanonicalText(string address)
    {
        AddressValue value = Value(address);

        Assert.Equal(address, value.ToString());
        Assert.Equal(IPAddress.Parse(address), value.ToIPAddress());
    }

    [Fact]
    public void MappedAndPlainIpv4AreDifferentValues()
    {
        AddressValue mapped = Value("::ffff:10.0.0.1");
        AddressValue plain = Value("10.0.0.1");

        Assert.True(mapped.IsV4Mapped);
        Assert.False(plain.IsV4Mapped);
        Assert.NotEqual(mapped, plain);
        Assert.Equal(plain, mapped.Unmapped);
        Assert.Equal(plain, plain.Unmapped);
        Assert.NotEqual(Value("0.0.0.0"), Value("::"));
        Assert.Equal(Value("fe80::1").GetHashCode(), Value("fe80::1").GetHashCode());
        Assert.True(Value("fe80::1").Equals((object)Value("fe80::1")));
        Assert.False(Value("fe80::1").Equals("fe80::1"));
    }

    [Fact]
    public void NetworkOrderBytesAndIntegers()
    {
        Assert.Equal("127.0.0.1", AddressValue.FromV4(0x7F00_0001).ToString());
        Assert.Equal("10.0.0.1", AddressValue.FromBytes(new byte[] { 99, 10, 0, 0, 1 }, 1, isV6: false).ToString());

        AddressValue v6 = Value("2001:db8::ff00:42:8329");
        Assert.Equal(0x2001_0db8_0000_0000UL, v6.High);
        Assert.Equal(0x0000_ff00_0042_8329UL, v6.Low);
        Assert.Equal(7, v6.ToIPAddress(7).ScopeId);
    }

    // ---- ProcFdScanner.TryParseSocketLink ----

    [Theory]
    [InlineData("socket:[123]", 123UL)]
    [InlineData("socket:[0]", 0UL)]
    [InlineData("socket:[4026531840]", 4026531840UL)]
    [InlineData("socket:[18446744073709551615]", ulong.MaxValue)]
    public void SocketLinksGiveTheirInode(string link, ulong inode)
    {
        Assert.True(TryParseLink(link, out ulong parsed));
        Assert.Equal(inode, parsed);
    }

    [Theory]
    [InlineData("pipe:[1]")]
    [InlineData("pipe:[123456]")]
    [InlineData("socket:[]")]
    [InlineData("socket:[12a]")]
    [InlineData("socket:[-1]")]
    [InlineData("socket:[ 1]")]
    [InlineData("socket:123]")]
    [InlineData("socket:[123")]
    [InlineData("/dev/null")]
    [InlineData("/tmp/socket:[1]")]
    [InlineData("anon_inode:[eventfd]")]
    [InlineData("net:[4026531840]")]
    [InlineData("")]
    [InlineData("s")]
    public void OtherLinksAreNotSockets(string link)
    {
        Assert.False(TryParseLink(link, out _));
    }

    [Fact]
    public void OnlyTheReadlinkLengthCounts()
    {
        // readlink() does not terminate its result; bytes past the length it returned are stale.
        byte[] bytes = Encoding.ASCII.GetBytes("socket:[77]]]]");

        Assert.True(TryParseLink(bytes, 11, out ulong inode));
        Assert.Equal(77UL, inode);
        Assert.False(TryParseLink(bytes, 12, out _));
    }

    private static bool TryParseLink(string link, out ulong inode)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(link);
        return TryParseLink(bytes, bytes.Length, out inode);
    }

    private static unsafe bool TryParseLink(byte[] bytes, int length, out ulong inode)
    {
        // A guard byte so an empty link still has an address to point at.
        byte[] buffer = new byte[bytes.Length + 1];
        bytes.CopyTo(buffer, 0);
        fixed (byte* p = buffer)
        {
            return ProcFdScanner.TryParseSocketLink(p, length, out inode);
        }
    }

    private static AddressValue Value(string address) => AddressValue.FromIPAddress(IPAddress.Parse(address));

    private static SocketRecord Row(
        SocketProtocol protocol = SocketProtocol.Tcp,
        byte state = KernelStates.Established,
        string local = "10.0.0.1",
        ushort localPort = 40000,
        string remote = "10.0.0.2",
        ushort remotePort = 443)
        => new()
        {
            Protocol = protocol,
            State = KernelStates.ToSocketState(protocol, state),
            LocalAddress = Value(local),
            LocalPort = localPort,
            RemoteAddress = Value(remote),
            RemotePort = remotePort,
        };
}
