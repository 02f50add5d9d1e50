using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>InetDiagParser on netlink replies: built by <see cref="NetlinkFixtureBuilder"/> and captured from a kernel.</summary>
public sealed class InetDiagParserTests
{
    private static readonly DiagRow Ipv4Row = new()
    {
        Family = 2,
        State = 1,
        Timer = 2,
        Retransmits = 3,
        LocalPort = 0x1F90,   // 8080: on the wire 1F 90
        RemotePort = 0xC35A,  // 50010: on the wire C3 5A
        LocalAddress = IPAddress.Parse("192.168.17.5"),
        RemoteAddress = IPAddress.Parse("10.200.3.44"),
        InterfaceIndex = 3,
        Cookie = 0x0000_0001_8000_00FEUL,
        Expires = 71_500,
        ReceiveQueue = 17,
        SendQueue = 4_096,
        Uid = 1_000,
        Inode = 0x8000_0001,
    };

    private static readonly DiagRow Ipv6Row = new()
    {
        Family = 10,
        State = 9, // LAST_ACK
        Timer = 1,
        Retransmits = 7,
        LocalPort = 443,
        RemotePort = 65535,
        LocalAddress = IPAddress.Parse("2001:db8::1:0:0:7"),
        RemoteAddress = IPAddress.Parse("fe80::a00:27ff:fe4e:66a1"),
        InterfaceIndex = 2,
        Cookie = 0xFEDC_BA98_7654_3210UL,
        Expires = 204,
        ReceiveQueue = 0,
        SendQueue = 1,
        Uid = 65_534,
        Inode = 48_211,
    };

    [Fact]
    public void Ipv4TcpRowCarriesEveryField()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().SocketWithUsualAttributes(Ipv4Row).Done().Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        SocketRecord row = Assert.Single(rows);
        Assert.Equal(SocketProtocol.Tcp, row.Protocol);
        Assert.False(row.IsV6);
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal(SocketTimer.KeepAlive, row.Timer);
        Assert.Equal(3u, row.Retransmits);
        Assert.Equal(8080, row.LocalPort);
        Assert.Equal(50010, row.RemotePort);
        Assert.Equal("192.168.17.5", row.LocalAddress.ToString());
        Assert.Equal("10.200.3.44", row.RemoteAddress.ToString());
        Assert.Equal(3u, row.InterfaceIndex);
        Assert.Equal(0x0000_0001_8000_00FEUL, row.Cookie);
        Assert.Equal(71_500u, row.TimerExpiresMs);
        Assert.Equal(17u, row.ReceiveQueue);
        Assert.Equal(4_096u, row.SendQueue);
        Assert.Equal(1_000u, row.Uid);
        Assert.Equal(0x8000_0001UL, row.Inode);
    }

    [Fact]
    public void Ipv6TcpRowCarriesEveryField()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().SocketWithUsualAttributes(Ipv6Row).Done().Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        SocketRecord row = Assert.Single(rows);
        Assert.True(row.IsV6);
        Assert.Equal(SocketState.LastAck, row.State);
        Assert.Equal(SocketState.LastAck, row.State);
        Assert.Equal(SocketTimer.Retransmit, row.Timer);
        Assert.Equal(7u, row.Retransmits);
        Assert.Equal(443, row.LocalPort);
        Assert.Equal(65535, row.RemotePort);
        Assert.Equal("2001:db8::1:0:0:7", row.LocalAddress.ToString());
        Assert.Equal("fe80::a00:27ff:fe4e:66a1", row.RemoteAddress.ToString());
        Assert.Equal(2u, row.InterfaceIndex);
        Assert.Equal(0xFEDC_BA98_7654_3210UL, row.Cookie);
        Assert.Equal(204u, row.TimerExpiresMs);
        Assert.Equal(0u, row.ReceiveQueue);
        Assert.Equal(1u, row.SendQueue);
        Assert.Equal(65_534u, row.Uid);
        Assert.Equal(48_211UL, row.Inode);
    }

    [Fact]
    public void PortsAreReadBigEndian()
    {
        // 0x0102 on the wire is 258, not 513: the kernel sends ports in network order.
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { LocalPort = 0x0102, RemotePort = 0x00FF }).Build();
        Assert.Equal(0x01, buffer[16 + 4]);
        Assert.Equal(0x02, buffer[16 + 5]);

        var (_, rows) = Parse(buffer);

        Assert.Equal(258, rows[0].LocalPort);
        Assert.Equal(255, rows[0].RemotePort);
    }

    [Fact]
    public void UdpProtocolIsTakenFromTheCaller()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { State = 7, RemoteAddress = IPAddress.Any, RemotePort = 0 }).Done().Build();

        var (_, rows) = Parse(buffer, SocketProtocol.Udp);

        Assert.Equal(SocketProtocol.Udp, rows[0].Protocol);
        Assert.Equal(SocketState.Unconnected, rows[0].State);
    }

    [Fact]
    public void NewSynRecvIsAcceptedAndShownAsSynReceived()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { State = 12 }).Done().Build();

        var (_, rows) = Parse(buffer);

        Assert.Equal(SocketState.SynReceived, rows[0].State); // NEW_SYN_RECV (12), a request socket
        Assert.Equal(SocketState.SynReceived, KernelStates.ToSocketState(SocketProtocol.Tcp, 12));
    }

    [Fact]
    public void ManyMessagesInOneBufferEndWithDone()
    {
        var builder = NetlinkFixtureBuilder.Create();
        for (ushort i = 0; i < 5; i++)
        {
            builder.SocketWithUsualAttributes(Ipv4Row with { LocalPort = (ushort)(1000 + i), Inode = 100u + i });
            builder.Socket(Ipv6Row with { LocalPort = (ushort)(2000 + i) });
        }

        byte[] buffer = builder.Done().Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Equal(10, rows.Count);
        Assert.Equal(new[] { 1000, 2000, 1001, 2001, 1002, 2002, 1003, 2003, 1004, 2004 }, rows.Select(r => (int)r.LocalPort));
        Assert.Equal(new ulong[] { 100, 101, 102, 103, 104 }, rows.Where(r => !r.IsV6).Select(r => r.Inode));
    }

    [Fact]
    public void BufferWithoutDoneAsksForMore()
    {
        byte[] first = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Socket(Ipv6Row).Build();
        byte[] second = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { LocalPort = 9 }).Done().Build();
        var rows = new List<SocketRecord>();

        Assert.False(InetDiagParser.Parse(first, first.Length, SocketProtocol.Tcp, null, rows));
        Assert.Equal(2, rows.Count);
        Assert.True(InetDiagParser.Parse(second, second.Length, SocketProtocol.Tcp, null, rows));
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public void EmptyBufferIsNotTheEnd()
    {
        var (done, rows) = Parse(Array.Empty<byte>());

        Assert.False(done);
        Assert.Empty(rows);
    }

    [Fact]
    public void OnlyTheGivenLengthIsParsed()
    {
        // A recv() into a large reused buffer: bytes after `length` are stale and must be ignored.
        byte[] reply = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Build();
        byte[] stale = NetlinkFixtureBuilder.Create().Socket(Ipv6Row).Done().Build();
        byte[] buffer = reply.Concat(stale).ToArray();
        var rows = new List<SocketRecord>();

        Assert.False(InetDiagParser.Parse(buffer, reply.Length, SocketProtocol.Tcp, null, rows));
        Assert.Single(rows);
    }

    [Fact]
    public void MessagesAfterDoneAreNotRead()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Done().Socket(Ipv6Row).Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Single(rows);
    }

    [Fact]
    public void UnalignedMessageLengthIsPaddedToTheNextMessage()
    {
        // A 5-byte rtattr makes nlmsg_len 16 + 72 + 5 = 93; the next message starts at NLMSG_ALIGN(93) = 96.
        byte[] buffer = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, NetlinkFixtureBuilder.DiagMessage(Ipv4Row).Concat(new byte[] { 5, 0, 8, 0, 1 }).ToArray())
            .Socket(Ipv6Row)
            .Done()
            .Build();
        Assert.Equal(93u, NetlinkFixtureBuilder.GetU32(buffer, 0));

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Equal(2, rows.Count);
        Assert.True(rows[1].IsV6);
    }

    [Fact]
    public void NoopAndUnknownMessageTypesAreSkipped()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.NlmsgNoop, Array.Empty<byte>())
            .Socket(Ipv4Row)
            .Message(0x99, new byte[] { 1, 2, 3, 4, 5, 6 })
            .Done()
            .Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Single(rows);
    }

    [Theory]
    [InlineData(-1, 1, "EPERM")]
    [InlineData(-2, 2, "ENOENT")]
    [InlineData(-22, 22, "EINVAL")]
    [InlineData(-95, 95, "EOPNOTSUPP")]
    public void NetlinkErrorRaisesThePositiveErrnoByName(int wire, int errno, string name)
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Error(wire).Build();

        var error = Assert.Throws<NetlinkErrorException>(() => Parse(buffer));

        Assert.Equal(errno, error.ErrorNumber);
        Assert.Contains(name + " (", error.Message); // the name, not "system error (errno N)"
    }

    [Fact]
    public void NetlinkErrorAfterRowsStillRaises()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Error(-16).Build();

        Assert.Equal(16, Assert.Throws<NetlinkErrorException>(() => Parse(buffer)).ErrorNumber);
    }

    [Fact]
    public void NetlinkErrorZeroIsAnAcknowledgementAndIgnored()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Error(0).Socket(Ipv4Row).Done().Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Single(rows);
    }

    [Fact]
    public void NetlinkErrorWithoutErrorCodeIsMalformed()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.NlmsgError, new byte[] { 0xEA, 0xFF }).Build();

        Assert.Throws<SocketTableFormatException>(() => Parse(buffer));
    }

    [Fact]
    public void DoneCarryingAnErrnoRaisesIt()
    {
        // What a kernel sends when the dump itself fails (see the captured done-enoent.bin).
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Done(-105).Build();

        Assert.Equal(105, Assert.Throws<NetlinkErrorException>(() => Parse(buffer)).ErrorNumber);
    }

    [Fact]
    public void DoneWithoutPayloadEndsTheDump()
    {
        // Old kernels sent NLMSG_DONE with no int after the header.
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Message(NetlinkFixtureBuilder.NlmsgDone, Array.Empty<byte>()).Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Single(rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(15)]
    public void TruncatedHeaderIsMalformed(int bytesOfHeader)
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Build();
        byte[] header = NetlinkFixtureBuilder.Create().Done().Build().Take(bytesOfHeader).ToArray();

        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer.Concat(header).ToArray()));

        Assert.Contains("Truncated netlink header", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(48)]
    [InlineData(71)]
    public void TruncatedInetDiagMessageIsMalformed(int payloadBytes)
    {
        byte[] payload = NetlinkFixtureBuilder.DiagMessage(Ipv4Row).Take(payloadBytes).ToArray();
        byte[] buffer = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.SockDiagByFamily, payload).Done().Build();

        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer));

        Assert.Contains("Truncated inet_diag_msg", error.Message);
    }

    [Fact]
    public void MessageLongerThanTheBufferIsMalformed()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Build();

        // Cut the last 8 bytes off: nlmsg_len now claims more than is there.
        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer.Take(buffer.Length - 8).ToArray()));
        Assert.Contains("claims 88 bytes", error.Message);

        byte[] lying = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.SockDiagByFamily, NetlinkFixtureBuilder.DiagMessage(Ipv4Row), lengthOverride: 4096).Build();
        Assert.Throws<SocketTableFormatException>(() => Parse(lying));

        byte[] huge = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.NlmsgDone, new byte[4], lengthOverride: unchecked((int)0xFFFF_FFF0)).Build();
        Assert.Throws<SocketTableFormatException>(() => Parse(huge));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(15)]
    public void MessageShorterThanItsHeaderIsMalformed(int claimed)
    {
        // nlmsg_len 0 would otherwise loop forever on the same offset.
        byte[] buffer = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.SockDiagByFamily, NetlinkFixtureBuilder.DiagMessage(Ipv4Row), lengthOverride: claimed).Build();

        Assert.Throws<SocketTableFormatException>(() => Parse(buffer));
    }

    [Theory]
    [InlineData(0)]  // rta_len smaller than the rtattr header
    [InlineData(3)]
    [InlineData(13)] // one byte more than the attribute and its padding
    [InlineData(400)]
    public void MalformedAttributeLengthIsMalformed(int attributeLength)
    {
        byte[] attribute = NetlinkFixtureBuilder.Attribute(NetlinkFixtureBuilder.InetDiagCgroupId, new byte[8], lengthOverride: attributeLength);
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row, attribute).Done().Build();

        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer));

        Assert.Contains("Malformed attribute", error.Message);
    }

    [Theory]
    [InlineData(17, SocketProtocol.Tcp, SocketProtocol.Udp)] // destroy notifications name their protocol
    [InlineData(6, SocketProtocol.Udp, SocketProtocol.Tcp)]
    [InlineData(136, SocketProtocol.Tcp, SocketProtocol.Tcp)] // UDP-Lite and others: keep what the caller asked
    public void ProtocolAttributeOverridesTheDumpProtocol(byte protocolNumber, SocketProtocol asked, SocketProtocol expected)
    {
        byte[] attribute = NetlinkFixtureBuilder.Attribute(10, new[] { protocolNumber }); // INET_DIAG_PROTOCOL
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row, attribute).Done().Build();

        var (_, rows) = Parse(buffer, asked);

        Assert.Equal(expected, Assert.Single(rows).Protocol);
    }

    [Theory]
    [InlineData(new byte[] { 1 }, true)]
    [InlineData(new byte[] { 0 }, false)]
    public void V6OnlyAttributeSaysWhetherAnIPv6ListenerTakesIPv4(byte[] value, bool expected)
    {
        byte[] attribute = NetlinkFixtureBuilder.Attribute(11, value); // INET_DIAG_SKV6ONLY
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv6Row with { State = 10 }, attribute).Done().Build();

        var (_, rows) = Parse(buffer, SocketProtocol.Tcp);

        Assert.Equal(expected, Assert.Single(rows).V6Only);
    }

    [Fact]
    public void WithoutTheV6OnlyAttributeItIsUnknown()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().SocketWithUsualAttributes(Ipv6Row).Done().Build();

        var (_, rows) = Parse(buffer, SocketProtocol.Tcp);

        Assert.Null(Assert.Single(rows).V6Only);
    }

    [Fact]
    public void TcpInfoAndCongestionAttributesFillTcpDetails()
    {
        var info = new byte[232]; // struct tcp_info as kernel 6.x sends it
        NetlinkFixtureBuilder.PutU32(info, 8, 204000);   // tcpi_rto, microseconds
        NetlinkFixtureBuilder.PutU32(info, 16, 65483);   // tcpi_snd_mss
        NetlinkFixtureBuilder.PutU32(info, 68, 1250);    // tcpi_rtt
        NetlinkFixtureBuilder.PutU32(info, 72, 500);     // tcpi_rttvar
        NetlinkFixtureBuilder.PutU32(info, 76, 0x7FFFFFFF); // tcpi_snd_ssthresh: infinite
        NetlinkFixtureBuilder.PutU32(info, 80, 10);      // tcpi_snd_cwnd
        NetlinkFixtureBuilder.PutU32(info, 100, 3);      // tcpi_total_retrans
        NetlinkFixtureBuilder.PutU32(info, 120, 100001); // tcpi_bytes_acked (low word)
        NetlinkFixtureBuilder.PutU32(info, 124, 1);      // (high word)
        NetlinkFixtureBuilder.PutU32(info, 160, 1000);   // tcpi_delivery_rate, bytes per second
        NetlinkFixtureBuilder.PutU32(info, 200, 7);      // tcpi_bytes_sent
        byte[] buffer = NetlinkFixtureBuilder.Create()
            .Socket(Ipv4Row, NetlinkFixtureBuilder.Attribute(2, info), NetlinkFixtureBuilder.Attribute(4, new byte[] { (byte)'b', (byte)'b', (byte)'r', 0 }))
            .Done().Build();

        TcpDetails tcp = Assert.Single(Parse(buffer).Rows).Tcp!;

        Assert.Equal(204.0, tcp.RetransmitTimeoutMs);
        Assert.Equal(1.25, tcp.RoundTripTimeMs);
        Assert.Equal(0.5, tcp.RoundTripTimeVarianceMs);
        Assert.Null(tcp.SlowStartThreshold);
        Assert.Equal(10, tcp.CongestionWindow);
        Assert.Equal(65483, tcp.MaxSegmentSize);
        Assert.Equal(3, tcp.RetransmittedSegments);
        Assert.Equal(100001L + (1L << 32), tcp.BytesAcked);
        Assert.Equal(8000, tcp.DeliveryRateBitsPerSecond);
        Assert.Equal(7, tcp.BytesSent);
        Assert.Equal("bbr", tcp.CongestionControl);
    }

    [Fact]
    public void ShortTcpInfoFromAnOldKernelLeavesLaterFieldsNull()
    {
        var info = new byte[104]; // the 2.6-era struct: through tcpi_total_retrans
        NetlinkFixtureBuilder.PutU32(info, 80, 10);
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row, NetlinkFixtureBuilder.Attribute(2, info)).Done().Build();

        TcpDetails tcp = Assert.Single(Parse(buffer).Rows).Tcp!;

        Assert.Equal(10, tcp.CongestionWindow);
        Assert.Null(tcp.BytesAcked);
        Assert.Null(tcp.BytesSent);
        Assert.Null(tcp.MinRoundTripTimeMs);
    }

    [Fact]
    public void RowsWithoutExtensionsHaveNoTcpDetails()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().SocketWithUsualAttributes(Ipv4Row).Done().Build();
        Assert.Null(Assert.Single(Parse(buffer).Rows).Tcp);
    }

    [Fact]
    public void AttributeTailShorterThanAnRtattrHeaderIsTolerated()
    {
        // Fewer than 4 bytes after the last attribute cannot hold one; the kernel pads with zeroes.
        byte[] payload = NetlinkFixtureBuilder.DiagMessage(Ipv4Row).Concat(NetlinkFixtureBuilder.Attribute(8, new byte[] { 0 })).Concat(new byte[3]).ToArray();
        byte[] buffer = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.SockDiagByFamily, payload).Done().Build();

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Single(rows);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]  // AF_UNIX
    [InlineData(3)]
    [InlineData(16)] // AF_NETLINK
    [InlineData(255)]
    public void UnknownFamilyIsMalformed(byte family)
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { Family = family }).Done().Build();

        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer));

        Assert.Contains($"address family {family}", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)] // TCP_BOUND_INACTIVE, newer than this reader
    [InlineData(255)]
    public void UnknownStateIsMalformed(byte state)
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row with { State = state }).Done().Build();

        var error = Assert.Throws<SocketTableFormatException>(() => Parse(buffer));

        Assert.Contains($"unknown state {state}", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(200)]
    public void LengthOutsideTheBufferIsMalformed(int length)
    {
        byte[] buffer = NetlinkFixtureBuilder.Create().Socket(Ipv4Row).Done().Build();

        Assert.Throws<SocketTableFormatException>(() => InetDiagParser.Parse(buffer, length, SocketProtocol.Tcp, null, new List<SocketRecord>()));
    }

    [Fact]
    public void FilterDropsRowsButTheDumpStillEnds()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create()
            .Socket(Ipv4Row with { LocalPort = 22 })
            .Socket(Ipv4Row with { LocalPort = 80 })
            .Socket(Ipv6Row with { LocalPort = 22, RemotePort = 40000 })
            .Socket(Ipv4Row with { LocalPort = 22, State = 10 })
            .Done()
            .Build();
        var query = new SocketQuery
        {
            LocalPorts = new PortSet(new[] { 22 }),
            IncludeIPv6 = false,
            States = new[] { SocketState.Established },
        };

        var (done, rows) = Parse(buffer, query: query);

        Assert.True(done);
        SocketRecord row = Assert.Single(rows);
        Assert.Equal(22, row.LocalPort);
        Assert.False(row.IsV6);
        Assert.Equal(SocketState.Established, row.State);
    }

    [Fact]
    public void FilterOnRemoteRangeDropsRows()
    {
        byte[] buffer = NetlinkFixtureBuilder.Create()
            .Socket(Ipv4Row with { RemoteAddress = IPAddress.Parse("10.1.2.3") })
            .Socket(Ipv4Row with { RemoteAddress = IPAddress.Parse("11.1.2.3") })
            .Done()
            .Build();
        var query = new SocketQuery { RemoteAddresses = new[] { AddressRange.Parse("10.0.0.0/8") } };

        var (_, rows) = Parse(buffer, query: query);

        Assert.Equal("10.1.2.3", Assert.Single(rows).RemoteAddress.ToString());
    }

    // ---- captured from a kernel (6.18, x86_64) by InetDiagParserLiveTests ----

    [Fact]
    public void CapturedTcp4Dump()
    {
        byte[] buffer = Fixture.Bytes("tcp4-loopback.bin");

        var (done, rows) = Parse(buffer);

        // A listener on 127.0.0.1:40955 with one accepted connection from port 52984, the client of a
        // mapped-listener connection (44004 -> 43367), and a closed client in TIME_WAIT (52998).
        Assert.True(done);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.LocalAddress.ToString()));
        Assert.All(rows, r => Assert.Equal(0u, r.Uid));
        Assert.All(rows, r => Assert.Equal(0u, r.InterfaceIndex));

        SocketRecord listener = rows[0];
        Assert.Equal(SocketState.Listen, listener.State);
        Assert.Equal(40955, listener.LocalPort);
        Assert.Equal("0.0.0.0", listener.RemoteAddress.ToString());
        Assert.Equal(0, listener.RemotePort);
        Assert.Equal(SocketTimer.None, listener.Timer);
        Assert.Equal(0u, listener.Retransmits);
        Assert.Equal(0u, listener.TimerExpiresMs);
        Assert.Equal(0u, listener.ReceiveQueue);
        Assert.Equal(16u, listener.SendQueue); // the backlog it listens with
        Assert.Equal(0x76EUL, listener.Cookie);
        Assert.Equal(32506UL, listener.Inode);

        Assert.Equal((40955, 52984, SocketState.Established, 32508UL, 0x76FUL), Summary(rows[1]));
        Assert.Equal((44004, 43367, SocketState.Established, 32513UL, 0x770UL), Summary(rows[2]));
        Assert.Equal((52984, 40955, SocketState.Established, 32507UL, 0x771UL), Summary(rows[3]));

        SocketRecord timeWait = rows[4];
        Assert.Equal((52998, 40955, SocketState.TimeWait, 0UL, 0x772UL), Summary(timeWait));
        Assert.Equal(SocketTimer.TimeWait, timeWait.Timer);
        Assert.Equal(59_896u, timeWait.TimerExpiresMs);
        Assert.Equal("127.0.0.1", timeWait.RemoteAddress.ToString());
    }

    [Fact]
    public void CapturedTcp6Dump()
    {
        byte[] buffer = Fixture.Bytes("tcp6-loopback.bin");

        var (done, rows) = Parse(buffer);

        Assert.True(done);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsV6));

        Assert.Equal((38029, 0, SocketState.Listen, 32528UL, 0x773UL), Summary(rows[0]));
        Assert.Equal("::1", rows[0].LocalAddress.ToString());
        Assert.Equal("::", rows[0].RemoteAddress.ToString());
        Assert.Equal(16u, rows[0].SendQueue);

        Assert.Equal((44561, 0, SocketState.Listen, 32531UL, 0x774UL), Summary(rows[1]));
        Assert.Equal("::ffff:127.0.0.1", rows[1].LocalAddress.ToString());
        Assert.True(rows[1].LocalAddress.IsV4Mapped);

        Assert.Equal((44561, 33738, SocketState.Established, 32533UL, 0x775UL), Summary(rows[2]));
        Assert.Equal("::ffff:127.0.0.1", rows[2].RemoteAddress.ToString());

        Assert.Equal((46600, 38029, SocketState.Established, 32529UL, 0x776UL), Summary(rows[3]));
        Assert.Equal((38029, 46600, SocketState.Established, 32530UL, 0x777UL), Summary(rows[4]));
        Assert.Equal("::1", rows[4].RemoteAddress.ToString());
    }

    [Fact]
    public void CapturedUdpDumps()
    {
        var (done4, v4) = Parse(Fixture.Bytes("udp4-loopback.bin"), SocketProtocol.Udp);
        Assert.True(done4);
        SocketRecord unconnected = Assert.Single(v4);
        Assert.Equal((37838, 0, SocketState.Unconnected, 32482UL, 0x756UL), Summary(unconnected));
        Assert.Equal("127.0.0.1", unconnected.LocalAddress.ToString());
        Assert.Equal(SocketState.Unconnected, unconnected.State);

        var (done6, v6) = Parse(Fixture.Bytes("udp6-loopback.bin"), SocketProtocol.Udp);
        Assert.True(done6);
        Assert.Equal(2, v6.Count);
        Assert.Equal((37813, 38595, SocketState.Established, 32484UL, 0x757UL), Summary(v6[0]));
        Assert.Equal("::1", v6[0].RemoteAddress.ToString());
        Assert.Equal((38595, 0, SocketState.Unconnected, 32483UL, 0x758UL), Summary(v6[1]));
        Assert.Equal("::", v6[1].RemoteAddress.ToString());
    }

    [Fact]
    public void CapturedRefusalIsNetlinkError()
    {
        // The kernel's answer to a request for address family 99: NLMSG_ERROR -EINVAL echoing the request.
        var error = Assert.Throws<NetlinkErrorException>(() => Parse(Fixture.Bytes("error-einval.bin")));

        Assert.Equal(22, error.ErrorNumber);
    }

    [Fact]
    public void CapturedFailedDumpIsNetlinkError()
    {
        // The kernel's answer to a dump for protocol 255 (no sock_diag handler): NLMSG_DONE carrying -ENOENT.
        var error = Assert.Throws<NetlinkErrorException>(() => Parse(Fixture.Bytes("done-enoent.bin")));

        Assert.Equal(2, error.ErrorNumber);
    }

    [Fact]
    public void CapturedDumpThroughAFilter()
    {
        var query = new SocketQuery { AnyPorts = new PortSet(new[] { 52984 }) };

        var (_, rows) = Parse(Fixture.Bytes("tcp4-loopback.bin"), query: query);

        Assert.Equal(new[] { 32508UL, 32507UL }, rows.Select(r => r.Inode));
    }

    // ---- the request ----

    [Fact]
    public void OneWalkTcpDumpRequestLayout()
    {
        byte[] request = InetDiagRequest.TcpDump(0x1FFE, 7, InetDiag.TcpInfoExtensions);

        Assert.Equal(76, request.Length); // nlmsghdr + struct inet_diag_req (60 bytes)
        Assert.Equal(76u, NetlinkFixtureBuilder.GetU32(request, 0));         // nlmsg_len
        Assert.Equal(18, NetlinkFixtureBuilder.GetU16(request, 4));          // TCPDIAG_GETSOCK
        Assert.Equal(0x301, NetlinkFixtureBuilder.GetU16(request, 6));       // NLM_F_REQUEST | NLM_F_DUMP
        Assert.Equal(7u, NetlinkFixtureBuilder.GetU32(request, 8));          // nlmsg_seq
        Assert.Equal(0, request[16]);                                        // idiag_family: none, so both
        Assert.Equal(0, request[17]);                                        // idiag_src_len
        Assert.Equal(0, request[18]);                                        // idiag_dst_len
        Assert.Equal(InetDiag.TcpInfoExtensions, request[19]);               // idiag_ext
        Assert.All(request.Skip(20).Take(48), b => Assert.Equal(0, b));      // inet_diag_sockid: match all
        Assert.Equal(0x1FFEu, NetlinkFixtureBuilder.GetU32(request, 68));    // idiag_states
        Assert.Equal(0u, NetlinkFixtureBuilder.GetU32(request, 72));         // idiag_dbs
    }

    [Fact]
    public void AnswersToTheOneWalkDumpAreSocketsOfEitherFamily()
    {
        // The kernel answers TCPDIAG_GETSOCK with messages of that type, IPv4 and IPv6 mixed in its table's order.
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(InetDiag.TCPDIAG_GETSOCK, NetlinkFixtureBuilder.DiagMessage(Ipv6Row))
            .Message(InetDiag.TCPDIAG_GETSOCK, NetlinkFixtureBuilder.DiagMessage(Ipv4Row))
            .Done()
            .Build();
        var rows = new List<SocketRecord>();
        Assert.True(InetDiagParser.Parse(reply, reply.Length, SocketProtocol.Tcp, null, rows));
        Assert.Equal(new[] { true, false }, rows.Select(r => r.IsV6));
        Assert.Equal(new[] { Ipv6Row.LocalPort, Ipv4Row.LocalPort }, rows.Select(r => r.LocalPort));
    }

    [Fact]
    public void DumpRequestLayout()
    {
        byte[] request = InetDiagRequest.Dump(10, 17, 0x0000_0482, 0xA1B2_C3D4);

        Assert.Equal(72, request.Length);
        Assert.Equal(72, InetDiagRequest.Length);
        Assert.Equal(72u, NetlinkFixtureBuilder.GetU32(request, 0));        // nlmsg_len
        Assert.Equal(20, NetlinkFixtureBuilder.GetU16(request, 4));         // SOCK_DIAG_BY_FAMILY
        Assert.Equal(0x301, NetlinkFixtureBuilder.GetU16(request, 6));      // NLM_F_REQUEST | NLM_F_DUMP
        Assert.Equal(0xA1B2_C3D4u, NetlinkFixtureBuilder.GetU32(request, 8)); // nlmsg_seq
        Assert.Equal(0u, NetlinkFixtureBuilder.GetU32(request, 12));        // nlmsg_pid: the kernel
        Assert.Equal(10, request[16]);                                      // sdiag_family
        Assert.Equal(17, request[17]);                                      // sdiag_protocol
        Assert.Equal(0, request[18]);                                       // idiag_ext
        Assert.Equal(0, request[19]);                                       // pad
        Assert.Equal(0x0000_0482u, NetlinkFixtureBuilder.GetU32(request, 20)); // idiag_states
        Assert.All(request.Skip(24), b => Assert.Equal(0, b));              // inet_diag_sockid: match all
    }

    [Fact]
    public void DumpRequestWithBytecodeCarriesItAsAnAttribute()
    {
        byte[] program = { 1, 4, 8, 0, 0xAA, 0xBB }; // 6 bytes: the attribute is padded to 12
        byte[] request = InetDiagRequest.Dump(2, 6, 0x400, 9, program);

        Assert.Equal(72 + 12, request.Length);
        Assert.Equal(84u, NetlinkFixtureBuilder.GetU32(request, 0));   // nlmsg_len covers the attribute
        Assert.Equal(0x400u, NetlinkFixtureBuilder.GetU32(request, 20));
        Assert.Equal(10, NetlinkFixtureBuilder.GetU16(request, 72));    // rta_len: header + program, unpadded
        Assert.Equal(1, NetlinkFixtureBuilder.GetU16(request, 74));     // INET_DIAG_REQ_BYTECODE
        Assert.Equal(program, request.Skip(76).Take(6).ToArray());
        Assert.Equal(new byte[2], request.Skip(82).ToArray());
    }

    [Fact]
    public void DumpRequestIsWhatTheKernelEchoedBack()
    {
        // error-einval.bin is the kernel's NLMSG_ERROR for Dump(99, TCP, all states, seq 1): after the
        // errno it repeats the request exactly as the kernel read it.
        byte[] captured = Fixture.Bytes("error-einval.bin");

        byte[] request = InetDiagRequest.Dump(99, 6, uint.MaxValue, 1);

        Assert.Equal(request, captured.Skip(20).Take(72).ToArray());
    }

    private static (int Local, int Remote, SocketState State, ulong Inode, ulong Cookie) Summary(SocketRecord r)
        => (r.LocalPort, r.RemotePort, r.State, r.Inode, r.Cookie);

    private static (bool Done, List<SocketRecord> Rows) Parse(byte[] buffer, SocketProtocol protocol = SocketProtocol.Tcp, SocketQuery? query = null)
    {
        var rows = new List<SocketRecord>();
        bool done = InetDiagParser.Parse(buffer, buffer.Length, protocol, query, rows);
        return (done, rows);
    }
}
