using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.MacOS;
using Xunit;

namespace SockTools.Tests.MacOS;

/// <summary>PcbListParser on pcblist_n answers built from xnu's documented record layouts.</summary>
public sealed class MacOSPcbListParserTests
{
    private static readonly PcbSocket Connection = new()
    {
        LocalAddress = IPAddress.Parse("192.168.17.5"),
        LocalPort = 8080,
        RemoteAddress = IPAddress.Parse("10.200.3.44"),
        RemotePort = 50010,
        Handle = 0x1234_5678_9abc_def0,
        Uid = 501,
        ReceiveBytes = 17,
        SendBytes = 4096,
        TcpState = 4,
        RetransmitShift = 3,
    };

    private static List<SocketRecord> Parse(byte[] list, SocketProtocol protocol = SocketProtocol.Tcp, SocketQuery? query = null, int? length = null)
        => Parse(list, protocol, out _, query, length);

    private static List<SocketRecord> Parse(byte[] list, SocketProtocol protocol, out bool changed, SocketQuery? query = null, int? length = null)
    {
        var rows = new List<SocketRecord>();
        changed = PcbListParser.Parse(list, length ?? list.Length, protocol, query, rows);
        return rows;
    }

    private static byte[] TcpList(params PcbSocket[] sockets)
    {
        PcbListFixtureBuilder builder = PcbListFixtureBuilder.Create((uint)sockets.Length);
        foreach (PcbSocket socket in sockets)
        {
            builder.Socket(socket);
        }

        return builder.Trailer().Build();
    }

    [Fact]
    public void AnIpv4ConnectionCarriesEveryFieldTheRecordsHold()
    {
        SocketRecord row = Assert.Single(Parse(TcpList(Connection)));

        Assert.Equal(SocketProtocol.Tcp, row.Protocol);
        Assert.False(row.IsV6);
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal("192.168.17.5", row.LocalAddress.ToString());
        Assert.Equal(8080, row.LocalPort);
        Assert.Equal("10.200.3.44", row.RemoteAddress.ToString());
        Assert.Equal(50010, row.RemotePort);
        Assert.Equal(17u, row.ReceiveQueue);
        Assert.Equal(4096u, row.SendQueue);
        Assert.Equal(501u, row.Uid);
        Assert.Equal(3u, row.Retransmits);
        Assert.Equal(0x1234_5678_9abc_def0UL, row.SocketHandle);
        Assert.Equal(0, row.ProcessId);
        Assert.Equal(0UL, row.Inode);
        Assert.Equal(0UL, row.Cookie);
        Assert.Equal(UnseenFields.Timer | UnseenFields.Inode, row.Unseen);
    }

    [Theory]
    [InlineData(0, SocketState.Bound)] // TCPS_CLOSED in a live list: neither listening nor connected
    [InlineData(1, SocketState.Listen)]
    [InlineData(2, SocketState.SynSent)]
    [InlineData(3, SocketState.SynReceived)]
    [InlineData(4, SocketState.Established)]
    [InlineData(5, SocketState.CloseWait)]
    [InlineData(6, SocketState.FinWait1)]
    [InlineData(7, SocketState.Closing)]
    [InlineData(8, SocketState.LastAck)]
    [InlineData(9, SocketState.FinWait2)]
    [InlineData(10, SocketState.TimeWait)]
    public void EveryTcpStateOfTcpFsmHasItsSocketState(int tcpState, SocketState expected)
        => Assert.Equal(expected, Assert.Single(Parse(TcpList(Connection with { TcpState = tcpState }))).State);

    [Theory]
    [InlineData(11)] // TSI_S_RESERVED: a pseudo state, never a socket's
    [InlineData(-1)]
    public void AStateTcpFsmDoesNotDefineIsAFormatError(int tcpState)
    {
        var e = Assert.Throws<SocketTableFormatException>(() => Parse(TcpList(Connection with { TcpState = tcpState })));
        Assert.Contains($"unknown TCP state {tcpState}", e.Message);
    }

    [Fact]
    public void AListenersQueuesAreItsWaitingConnectionsAndItsBacklog()
    {
        PcbSocket listener = Connection with { TcpState = 1, RemoteAddress = IPAddress.Any, RemotePort = 0, QueueLength = 3, QueueLimit = 128, ReceiveBytes = 0, SendBytes = 0 };

        SocketRecord row = Assert.Single(Parse(TcpList(listener)));

        Assert.Equal(SocketState.Listen, row.State);
        Assert.Equal(3u, row.ReceiveQueue);
        Assert.Equal(128u, row.SendQueue);
    }

    [Fact]
    public void AnIpv6LinkLocalAddressLosesTheInterfaceXnuEmbedsInItAndKeepsItAsTheScope()
    {
        PcbSocket socket = Connection with
        {
            LocalAddress = IPAddress.Parse("fe80::a00:27ff:fe4e:66a1"),
            RemoteAddress = IPAddress.Parse("fe80::1"),
            EmbeddedScope = 7,
        };

        SocketRecord row = Assert.Single(Parse(TcpList(socket)));

        Assert.True(row.IsV6);
        Assert.Equal("fe80::a00:27ff:fe4e:66a1", row.LocalAddress.ToString());
        Assert.Equal("fe80::1", row.RemoteAddress.ToString());
        Assert.Equal(7u, row.InterfaceIndex);
    }

    [Fact]
    public void AGlobalIpv6AddressKeepsBytesTwoAndThree()
    {
        PcbSocket socket = Connection with { LocalAddress = IPAddress.Parse("2001:db8:7::5"), RemoteAddress = IPAddress.Parse("2001:db8:9::1") };

        SocketRecord row = Assert.Single(Parse(TcpList(socket)));

        Assert.Equal("2001:db8:7::5", row.LocalAddress.ToString());
        Assert.Equal(0u, row.InterfaceIndex);
    }

    [Fact]
    public void ADualStackListenerOnTheWildcardIsAnIpv6SocketOnEveryInterface()
    {
        PcbSocket listener = Connection with { VersionFlags = 0x3, LocalAddress = IPAddress.IPv6Any, RemoteAddress = IPAddress.IPv6Any, RemotePort = 0, TcpState = 1 };

        SocketRecord row = Assert.Single(Parse(TcpList(listener)));

        Assert.True(row.IsV6);
        Assert.Equal(Exposure.AllInterfaces, row.LocalAddress.Exposure);
        Assert.False(row.V6Only); // netstat's tcp46: it takes IPv4 too
    }

    [Fact]
    public void AnIpv6OnlyListenerHasNoIpv4FlagAndAnIpv4SocketNoIpv6OnlyAnswer()
    {
        PcbSocket v6Only = Connection with { VersionFlags = 0x2, LocalAddress = IPAddress.IPv6Any, RemoteAddress = IPAddress.IPv6Any, RemotePort = 0, TcpState = 1 };
        PcbSocket v4 = Connection with { LocalAddress = IPAddress.Any, RemotePort = 0, TcpState = 1 };

        Assert.True(Assert.Single(Parse(TcpList(v6Only))).V6Only);
        Assert.Null(Assert.Single(Parse(TcpList(v4))).V6Only);
    }

    [Fact]
    public void AnIpv4AddressIsReadFromTheLastFourBytesOfItsSlot()
    {
        byte[] list = TcpList(Connection with { LocalAddress = IPAddress.Loopback });
        // Garbage in the three padding words of in_addr_4in6 must not leak into the address.
        int localSlot = PcbListFixtureBuilder.XinpgenSize + 64;
        for (int i = 0; i < 12; i++)
        {
            list[localSlot + i] = 0xEE;
        }

        SocketRecord row = Assert.Single(Parse(list));

        Assert.Equal("127.0.0.1", row.LocalAddress.ToString());
        Assert.Equal(Exposure.Loopback, row.LocalAddress.Exposure);
    }

    [Fact]
    public void ASocketOfNeitherFamilyYetIsLeftOut()
        => Assert.Empty(Parse(TcpList(Connection with { VersionFlags = 0 })));

    [Fact]
    public void ASocketNoFileRefersToHasNoHandleToLookForButKeepsItsUser()
    {
        SocketRecord row = Assert.Single(Parse(TcpList(Connection with { TcpState = 10, SocketState = 0x0001 /* SS_NOFDREF */ })));

        Assert.Equal(SocketState.TimeWait, row.State);
        Assert.Equal(0UL, row.SocketHandle);
        Assert.Equal(501u, row.Uid);
        Assert.Equal(UnseenFields.Timer | UnseenFields.Inode, row.Unseen);
    }

    [Fact]
    public void AUserSpaceFlowNamesItsProcessButNoUser()
    {
        SocketRecord row = Assert.Single(Parse(TcpList(Connection with { Handle = 0, Uid = 0, LastPid = 733 })));

        Assert.Equal(0UL, row.SocketHandle);
        Assert.Equal(733, row.ProcessId);
        Assert.True((row.Unseen & UnseenFields.UserId) != 0); // so_uid 0 there is a zeroed field, not root
    }

    [Fact]
    public void UdpSocketsAreUnconnectedUntilConnectFixesAPeer()
    {
        byte[] list = PcbListFixtureBuilder.Create(2)
            .Socket(new PcbSocket { IsTcp = false, LocalAddress = IPAddress.Any, LocalPort = 5353, ReceiveBytes = 900 })
            .Socket(new PcbSocket { IsTcp = false, LocalAddress = IPAddress.Parse("192.168.1.20"), LocalPort = 61000, RemoteAddress = IPAddress.Parse("192.168.1.1"), RemotePort = 53 })
            .Trailer().Build();

        List<SocketRecord> rows = Parse(list, SocketProtocol.Udp);

        Assert.Equal(new[] { SocketState.Unconnected, SocketState.Established }, rows.Select(r => r.State));
        Assert.All(rows, r => Assert.Equal(SocketProtocol.Udp, r.Protocol));
        Assert.Equal(900u, rows[0].ReceiveQueue);
        Assert.Equal(0u, rows[0].Retransmits);
    }

    [Fact]
    public void RecordsAreTakenByKindAndKindsItDoesNotKnowAreSteppedOver()
    {
        PcbSocket s = Connection;
        byte[] list = PcbListFixtureBuilder.Create(1)
            .Inpcb(s)
            .Unknown(0x400, 52)                 // a kind a newer kernel might add, 52 bytes padded to 56
            .Sockbuf(PcbListFixtureBuilder.XsoSndbuf, s.SendBytes)
            .Tcpcb(s)                           // 204 bytes, padded to 208
            .XSocket(s)
            .Sockbuf(PcbListFixtureBuilder.XsoRcvbuf, s.ReceiveBytes)
            .Trailer().Build();

        SocketRecord row = Assert.Single(Parse(list));

        Assert.Equal(8080, row.LocalPort);
        Assert.Equal(17u, row.ReceiveQueue);
        Assert.Equal(4096u, row.SendQueue);
        Assert.Equal(SocketState.Established, row.State);
    }

    [Fact]
    public void TheShorterRecordsOfOlderKernelsAreRead()
    {
        byte[] list = PcbListFixtureBuilder.Create(2)
            .Socket(Connection, inpcbSize: 100, socketSize: 76)
            .Socket(Connection with { LocalPort = 9090 }, inpcbSize: 100, socketSize: 76)
            .Trailer().Build();

        List<SocketRecord> rows = Parse(list);

        Assert.Equal(new[] { 8080, 9090 }, rows.Select(r => (int)r.LocalPort));
        Assert.All(rows, r => Assert.Equal(501u, r.Uid));
    }

    [Fact]
    public void ManySocketsEachStartOnTheirOwnEightByteBoundary()
    {
        PcbSocket[] sockets = Enumerable.Range(1, 25).Select(i => Connection with { LocalPort = (ushort)(1000 + i), Handle = (ulong)i }).ToArray();

        List<SocketRecord> rows = Parse(TcpList(sockets));

        Assert.Equal(Enumerable.Range(1001, 25), rows.Select(r => (int)r.LocalPort));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (ulong)i), rows.Select(r => r.SocketHandle));
    }

    [Fact]
    public void AnEmptyListIsAHeaderAndATrailer()
        => Assert.Empty(Parse(PcbListFixtureBuilder.Create().Trailer().Build()));

    [Fact]
    public void AListThatChangedWhileItWasCopiedSaysSo()
    {
        byte[] same = PcbListFixtureBuilder.Create(1, generation: 5).Socket(Connection).Trailer().Build();
        byte[] changed = PcbListFixtureBuilder.Create(1, generation: 5).Socket(Connection).Trailer(generation: 6).Build();

        Parse(same, SocketProtocol.Tcp, out bool sameChanged);
        Assert.Single(Parse(changed, SocketProtocol.Tcp, out bool changedChanged));

        Assert.False(sameChanged);
        Assert.True(changedChanged);
    }

    [Fact]
    public void TheQueryFiltersRowsAsTheyAreRead()
    {
        byte[] list = TcpList(Connection, Connection with { LocalPort = 22, TcpState = 1, RemoteAddress = IPAddress.Any, RemotePort = 0 });
        var query = new SocketQuery { States = new[] { SocketState.Listen } };

        Assert.Equal(22, Assert.Single(Parse(list, SocketProtocol.Tcp, query)).LocalPort);
    }

    [Fact]
    public void AListCutAnywhereIsAFormatErrorNeverAnOutOfRangeRead()
    {
        byte[] list = TcpList(Connection, Connection with { LocalPort = 1 });

        for (int length = 0; length < list.Length; length++)
        {
            Assert.Throws<SocketTableFormatException>(() => Parse(list, SocketProtocol.Tcp, length: length));
        }
    }

    [Fact]
    public void ATcpSocketWithoutItsTcpRecordIsAFormatError()
    {
        PcbSocket s = Connection;
        byte[] list = PcbListFixtureBuilder.Create(1).Inpcb(s).XSocket(s)
            .Sockbuf(PcbListFixtureBuilder.XsoRcvbuf, 0).Sockbuf(PcbListFixtureBuilder.XsoSndbuf, 0).Stats()
            .Trailer().Build();

        var e = Assert.Throws<SocketTableFormatException>(() => Parse(list));
        Assert.Contains("has no xtcpcb_n", e.Message);
    }

    [Fact]
    public void ARecordTwiceInOneSocketIsAFormatError()
    {
        PcbSocket s = Connection;
        byte[] list = PcbListFixtureBuilder.Create(1).Socket(s).XSocket(s).Trailer().Build();

        Assert.Contains("second xsocket_n", Assert.Throws<SocketTableFormatException>(() => Parse(list)).Message);
    }

    [Fact]
    public void ARecordBeforeAnyInpcbIsAFormatError()
    {
        byte[] list = PcbListFixtureBuilder.Create(1).XSocket(Connection).Socket(Connection).Trailer().Build();

        Assert.Contains("before any xinpcb_n", Assert.Throws<SocketTableFormatException>(() => Parse(list)).Message);
    }

    [Fact]
    public void ARecordTooShortForTheFieldsReadIsAFormatError()
    {
        PcbSocket s = Connection;
        byte[] list = PcbListFixtureBuilder.Create(1).Inpcb(s).XSocket(s, size: 40).Trailer().Build();

        Assert.Contains("at least 76", Assert.Throws<SocketTableFormatException>(() => Parse(list)).Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(7u)]
    [InlineData(0xFFFF_FFF0u)]
    public void ARecordLengthThatCannotBeIsAFormatErrorNotALoop(uint length)
    {
        byte[] hostile = new byte[16];
        BitConverter.GetBytes(length).CopyTo(hostile, 0);
        BitConverter.GetBytes(PcbListFixtureBuilder.XsoSocket).CopyTo(hostile, 4);
        byte[] list = PcbListFixtureBuilder.Create(1).Raw(hostile).Trailer().Build();

        Assert.Throws<SocketTableFormatException>(() => Parse(list));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(23u)]
    [InlineData(4096u)]
    public void AHeaderOfImpossibleLengthIsAFormatError(uint headerLength)
    {
        byte[] list = TcpList(Connection);
        BitConverter.GetBytes(headerLength).CopyTo(list, 0);

        Assert.Throws<SocketTableFormatException>(() => Parse(list));
    }

    [Fact]
    public void RandomBytesAndRandomCorruptionsNeverReadOutOfRange()
    {
        var random = new Random(15);
        byte[] good = TcpList(Connection, Connection with { LocalAddress = IPAddress.Parse("fe80::1"), RemoteAddress = IPAddress.IPv6Any, EmbeddedScope = 4 });
        for (int i = 0; i < 3000; i++)
        {
            byte[] bytes = i % 2 == 0 ? new byte[random.Next(0, 300)] : (byte[])good.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(bytes);
            }
            else
            {
                for (int flips = random.Next(1, 6); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp })
            {
                try
                {
                    Parse(bytes, protocol);
                }
                catch (SocketTableFormatException)
                {
                }
            }
        }
    }
}
