using System.Collections.Generic;
using System.Net;
using SockTools.Table;
using SockTools.Table.Windows;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>IpHelperTableParser on UDP tables built from the documented MIB_UDP(6)ROW_OWNER_PID layouts.</summary>
public sealed class WindowsUdpTableParserTests
{
    private static List<SocketRecord> Parse(byte[] table, IpHelperLayout layout, int? length = null)
    {
        var rows = new List<SocketRecord>();
        IpHelperTableParser.Parse(table, length ?? table.Length, layout, null, rows);
        return rows;
    }

    [Fact]
    public void AnIpv4EndpointIsUnconnectedWithItsPortAndProcess()
    {
        byte[] table = IpHelperFixtureBuilder.Udp4(
            new MibRow { LocalAddress = IPAddress.Any, LocalPort = 5353, OwningPid = 2208, PortGarbage = 0xFFFF },
            new MibRow { LocalAddress = IPAddress.Parse("192.168.1.20"), LocalPort = 137, OwningPid = 4 });

        List<SocketRecord> rows = Parse(table, IpHelperLayout.Udp4);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(SocketProtocol.Udp, r.Protocol));
        Assert.All(rows, r => Assert.Equal(SocketState.Unconnected, r.State));
        Assert.All(rows, r => Assert.True(r.RemoteAddress.IsAny && r.RemotePort == 0));
        Assert.Equal(5353, rows[0].LocalPort);
        Assert.Equal(2208, rows[0].ProcessId);
        Assert.Equal(Exposure.AllInterfaces, rows[0].LocalAddress.Exposure);
        Assert.Equal("192.168.1.20", rows[1].LocalAddress.ToString());
        Assert.Equal(137, rows[1].LocalPort);
        Assert.Equal(Exposure.Address, rows[1].LocalAddress.Exposure);
    }

    [Fact]
    public void AnIpv6EndpointCarriesItsScopeId()
    {
        byte[] table = IpHelperFixtureBuilder.Udp6(
            new MibRow { LocalAddress = IPAddress.Parse("fe80::d0c:1f:aa:114"), LocalScopeId = 12, LocalPort = 546, OwningPid = 1400 },
            new MibRow { LocalAddress = IPAddress.IPv6Loopback, LocalPort = 53, OwningPid = 1500 });

        List<SocketRecord> rows = Parse(table, IpHelperLayout.Udp6);

        Assert.True(rows[0].IsV6);
        Assert.Equal("fe80::d0c:1f:aa:114", rows[0].LocalAddress.ToString());
        Assert.Equal(12u, rows[0].InterfaceIndex);
        Assert.Equal(546, rows[0].LocalPort);
        Assert.Equal(1400, rows[0].ProcessId);
        Assert.Equal(Exposure.Loopback, rows[1].LocalAddress.Exposure);
        Assert.Equal(0u, rows[1].InterfaceIndex);
        Assert.Equal(SocketState.Unconnected, rows[1].State);
    }

    [Fact]
    public void ARowCutShortIsAFormatError()
    {
        byte[] table = IpHelperFixtureBuilder.Udp4(new MibRow(), new MibRow());

        Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Udp4, length: table.Length - 1));
        Assert.Throws<SocketTableFormatException>(() => Parse(IpHelperFixtureBuilder.WithCount(table, 3), IpHelperLayout.Udp4));
    }
}
