using System.Net.Sockets;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// ProcNetParser on lines as the kernel prints them in /proc/net/{tcp,tcp6,udp,udp6}:
/// "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ..." where each 32-bit word
/// of an address is printed in host byte order (so 127.0.0.1 is 0100007F on little-endian machines)
/// and ports are plain hex numbers. The expected values below are worked out by hand from that.
/// </summary>
public sealed class ProcNetParserTests
{
    // /proc/net/tcp pads every line to a fixed width with trailing spaces.
    private const string Tcp4Listener =
        "   0: 0100007F:0277 00000000:0000 0A 00000000:00000003 00:00000000 00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0                       ";

    private const string Tcp4Established =
        "   1: 0F02000A:0016 0202000A:D3A4 01 00000024:00000000 01:00000014 00000002  1000        0 48211 4 0000000000000000 20 4 30 10 -1                      ";

    private const string Tcp4TimeWait =
        "   1: 0100007F:8522 0100007F:9E8B 06 00000000:00000000 03:00000ABF 00000000     0        0 0 3 0000000009092093                                      ";

    private const string Tcp6Mapped =
        "   1: 0000000000000000FFFF00000100007F:D24A 0000000000000000FFFF00000100007F:9D15 06 00000000:00000000 03:00000ACC 00000000     0        0 0 3 00000000654bc43e";

    private const string Tcp6LoopbackListener =
        "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 52114 1 0000000000000000 100 0 0 10 0";

    private const string Tcp6LinkLocal =
        "   2: 000080FE00000000FF27000AA1664EFE:0016 000080FE000000000000000002000000:C350 01 00000000:00000000 02:000AFC80 00000000     0        0 61234 2 0000000000000000 20 4 31 10 -1";

    private const string Udp4Unconnected =
        "  123: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 20711 2 0000000000000000 0        ";

    private const string Udp4Connected =
        "  789: 0100007F:A1B2 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 98765 2 0000000000000000 0        ";

    private const string Udp6Any =
        "  456: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000340 00:00000000 00000000   105        0 19807 2 0000000000000000 0";

    [Fact]
    public void Ipv4TcpListener()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp4Listener, SocketProtocol.Tcp, isV6: false);

        Assert.Equal(SocketProtocol.Tcp, row.Protocol);
        Assert.False(row.IsV6);
        Assert.Equal("127.0.0.1", row.LocalAddress.ToString()); // word 0x0100007F = bytes 7F 00 00 01
        Assert.Equal(631, row.LocalPort);                       // 0x0277
        Assert.Equal("0.0.0.0", row.RemoteAddress.ToString());
        Assert.Equal(0, row.RemotePort);
        Assert.Equal(SocketState.Listen, row.State);     // 0x0A
        Assert.Null(row.SendQueue);                             // a listener's tx_queue says nothing here
        Assert.Equal(3u, row.ReceiveQueue);                     // connections waiting in accept()
        Assert.Equal(SocketTimer.None, row.Timer);
        Assert.Equal(0u, row.TimerExpiresMs);
        Assert.Equal(0u, row.Retransmits);
        Assert.Equal(1000u, row.Uid);
        Assert.Equal(31337UL, row.Inode);
        Assert.Equal(0UL, row.Cookie);
        Assert.Equal(0u, row.InterfaceIndex);
    }

    [Fact]
    public void Ipv4TcpEstablished()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp4Established, SocketProtocol.Tcp, isV6: false);

        Assert.Equal("10.0.2.15", row.LocalAddress.ToString());  // 0x0F02000A = bytes 0A 00 02 0F
        Assert.Equal(22, row.LocalPort);                         // 0x0016
        Assert.Equal("10.0.2.2", row.RemoteAddress.ToString());  // 0x0202000A
        Assert.Equal(54180, row.RemotePort);                     // 0xD3A4
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal(36u, row.SendQueue);                        // 0x24
        Assert.Equal(0u, row.ReceiveQueue);
        Assert.Equal(SocketTimer.Retransmit, row.Timer);                          // retransmit timer
        Assert.Equal(200u, row.TimerExpiresMs);                  // 0x14 = 20 ticks of 10 ms
        Assert.Equal(2u, row.Retransmits);
        Assert.Equal(1000u, row.Uid);
        Assert.Equal(48211UL, row.Inode);
    }

    [Fact]
    public void TimeWaitHasNoInodeAndATimer()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp4TimeWait, SocketProtocol.Tcp, isV6: false);

        Assert.Equal(SocketState.TimeWait, row.State);
        Assert.Equal(SocketState.TimeWait, row.State);
        Assert.Equal("127.0.0.1", row.LocalAddress.ToString());
        Assert.Equal(34082, row.LocalPort);                      // 0x8522
        Assert.Equal(40587, row.RemotePort);                     // 0x9E8B
        Assert.Equal(0UL, row.Inode);
        Assert.Equal(SocketTimer.TimeWait, row.Timer);
        Assert.Equal(27_510u, row.TimerExpiresMs);               // 0xABF = 2751 ticks * 10 ms
        Assert.Equal(0u, row.SendQueue);                         // not a listener: 0 is a real 0
        Assert.Equal(0u, row.Uid);
    }

    [Fact]
    public void Ipv4MappedIpv6()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp6Mapped, SocketProtocol.Tcp, isV6: true);

        // Words 00000000 00000000 FFFF0000 0100007F -> bytes 00*8, 00 00 FF FF, 7F 00 00 01.
        Assert.True(row.IsV6);
        Assert.Equal("::ffff:127.0.0.1", row.LocalAddress.ToString());
        Assert.True(row.LocalAddress.IsV4Mapped);
        Assert.True(row.LocalAddress.IsLoopback);
        Assert.Equal(53834, row.LocalPort);                      // 0xD24A
        Assert.Equal("::ffff:127.0.0.1", row.RemoteAddress.ToString());
        Assert.Equal(40213, row.RemotePort);                     // 0x9D15
        Assert.Equal(SocketState.TimeWait, row.State);
        Assert.Equal(27_640u, row.TimerExpiresMs);               // 0xACC = 2764 ticks
        Assert.Equal(0UL, row.Inode);
    }

    [Fact]
    public void Ipv6LoopbackListener()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp6LoopbackListener, SocketProtocol.Tcp, isV6: true);

        Assert.Equal("::1", row.LocalAddress.ToString());        // last word 01000000 = bytes 00 00 00 01
        Assert.Equal(8080, row.LocalPort);
        Assert.Equal("::", row.RemoteAddress.ToString());
        Assert.Equal(SocketState.Listen, row.State);
        Assert.Null(row.SendQueue);
        Assert.Equal(52114UL, row.Inode);
        Assert.Equal(Exposure.Loopback, row.LocalAddress.Exposure);
    }

    [Fact]
    public void Ipv6LinkLocalParsesWithoutScope()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp6LinkLocal, SocketProtocol.Tcp, isV6: true);

        // 000080FE -> fe 80 00 00; FF27000A -> 0a 00 27 ff; A1664EFE -> fe 4e 66 a1.
        Assert.Equal("fe80::a00:27ff:fe4e:66a1", row.LocalAddress.ToString());
        Assert.Equal("fe80::2", row.RemoteAddress.ToString());
        Assert.Equal(22, row.LocalPort);
        Assert.Equal(50000, row.RemotePort);                     // 0xC350
        Assert.Equal(SocketTimer.KeepAlive, row.Timer);                          // keep-alive
        Assert.Equal(7_200_000u, row.TimerExpiresMs);            // 0xAFC80 = 720000 ticks = 2 h

        // /proc/net carries no scope id (netlink has the interface index): the address is unscoped.
        var address = row.LocalAddress.ToIPAddress();
        Assert.Equal(AddressFamily.InterNetworkV6, address.AddressFamily);
        Assert.True(address.IsIPv6LinkLocal);
        Assert.Equal(0, address.ScopeId);
        Assert.Equal(0u, row.InterfaceIndex);
        Assert.Equal(Exposure.Address, row.LocalAddress.Exposure);
    }

    [Fact]
    public void UdpUnconnected()
    {
        SocketRecord row = ProcNetParser.ParseLine(Udp4Unconnected, SocketProtocol.Udp, isV6: false);

        Assert.Equal(SocketProtocol.Udp, row.Protocol);
        Assert.Equal("127.0.0.53", row.LocalAddress.ToString()); // 0x3500007F = bytes 7F 00 00 35
        Assert.Equal(53, row.LocalPort);
        Assert.Equal("0.0.0.0", row.RemoteAddress.ToString());
        Assert.Equal(0, row.RemotePort);
        Assert.Equal(SocketState.Unconnected, row.State);       // 07, TCP_CLOSE, in a UDP table
        Assert.Equal(0u, row.SendQueue);                         // known for UDP, even when 0
        Assert.Equal(101u, row.Uid);
        Assert.Equal(20711UL, row.Inode);
    }

    [Fact]
    public void UdpConnected()
    {
        SocketRecord row = ProcNetParser.ParseLine(Udp4Connected, SocketProtocol.Udp, isV6: false);

        Assert.Equal(41394, row.LocalPort);                      // 0xA1B2
        Assert.Equal("127.0.0.1", row.RemoteAddress.ToString());
        Assert.Equal(53, row.RemotePort);
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal(98765UL, row.Inode);
    }

    [Fact]
    public void Udp6Wildcard()
    {
        SocketRecord row = ProcNetParser.ParseLine(Udp6Any, SocketProtocol.Udp, isV6: true);

        Assert.Equal("::", row.LocalAddress.ToString());
        Assert.True(row.LocalAddress.IsAny);
        Assert.Equal(Exposure.AllInterfaces, row.LocalAddress.Exposure);
        Assert.Equal(5353, row.LocalPort);                       // 0x14E9
        Assert.Equal(832u, row.ReceiveQueue);                    // 0x340
        Assert.Equal(105u, row.Uid);
        Assert.Equal(19807UL, row.Inode);
    }

    [Fact]
    public void LowerCaseHexIsAccepted()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp4Established.Replace("D3A4", "d3a4").Replace("0F02000A", "0f02000a"), SocketProtocol.Tcp, isV6: false);

        Assert.Equal(54180, row.RemotePort);
        Assert.Equal("10.0.2.15", row.LocalAddress.ToString());
    }

    [Fact]
    public void LineWithoutTrailingFieldsEndsAfterTheInode()
    {
        SocketRecord row = ProcNetParser.ParseLine("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99", SocketProtocol.Tcp, isV6: false);

        Assert.Equal(99UL, row.Inode);
    }

    [Theory]
    [InlineData("01:00000000", 0u)]
    [InlineData("00:00000ABF", 0u)]                    // no timer: the "when" column means nothing
    [InlineData("02:0000000100000000", uint.MaxValue)] // %08lX of a 64-bit long prints more digits
    [InlineData("02:19999999", 4_294_967_290u)]        // 429496729 ticks: the largest that fits
    [InlineData("02:1999999A", uint.MaxValue)]
    [InlineData("02:199999999999999A", uint.MaxValue)] // ticks * 10 would wrap ulong to 4
    [InlineData("02:FFFFFFFFFFFFFFFF", uint.MaxValue)]
    public void TimerTicksBecomeMillisecondsAndSaturate(string timer, uint expected)
    {
        string line = Tcp4Established.Replace("01:00000014", timer);

        Assert.Equal(expected, ProcNetParser.ParseLine(line, SocketProtocol.Tcp, isV6: false).TimerExpiresMs);
    }

    [Theory]
    [InlineData("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ")]
    [InlineData("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")]
    [InlineData("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ")]
    public void HeaderLinesAreDetected(string header)
    {
        Assert.True(ProcNetParser.IsHeader(header));
        Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(header, SocketProtocol.Tcp, isV6: false));
    }

    [Theory]
    [InlineData(Tcp4Listener)]
    [InlineData(Tcp6Mapped)]
    [InlineData(Udp6Any)]
    [InlineData("")]
    public void SocketLinesAreNotHeaders(string line)
    {
        Assert.False(ProcNetParser.IsHeader(line));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("   0:")]
    [InlineData("   0: 0100007F:0277")]
    [InlineData("   0: 0100007F:0277 00000000:0000 0A")]
    [InlineData("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000")]
    [InlineData("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0")] // no inode
    public void ShortLinesAreMalformed(string line)
    {
        Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(line, SocketProtocol.Tcp, isV6: false));
    }

    [Theory]
    [InlineData("0100007F:0277", "0100007G:0277")] // address
    [InlineData("0100007F:0277", "0100007F:02Z7")] // port
    [InlineData("0100007F:0277", "0100007F:277 ")] // port with three digits
    [InlineData("0100007F:0277", "100007F:0277 ")] // address with seven digits
    [InlineData("0100007F:0277", "0100007F-0277")] // separator
    [InlineData("00000000:00000003", "00000000-00000003")]
    [InlineData("00000000:00000003", "0000000x:00000003")]
    [InlineData("00:00000000", "0:000000000")]     // timer code with one digit
    [InlineData("00:00000000", "00:")]
    [InlineData("  1000   ", "  10x0   ")]          // uid
    [InlineData(" 31337 ", " 313a7 ")]             // inode
    [InlineData("   0: ", "  x0: ")]               // slot
    [InlineData("   0: ", "   0  ")]
    public void BadFieldsAreMalformed(string good, string bad)
    {
        Assert.Contains(good, Tcp4Listener);
        string line = Tcp4Listener.Replace(good, bad);

        var error = Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(line, SocketProtocol.Tcp, isV6: false));

        Assert.Contains("/proc/net line", error.Message);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("0D")] // 13, TCP_BOUND_INACTIVE: newer than this reader
    [InlineData("FF")]
    public void UnknownStateIsMalformed(string state)
    {
        string line = Tcp4Listener.Replace(" 0A ", $" {state} ");

        var error = Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(line, SocketProtocol.Tcp, isV6: false));

        Assert.Contains("Unknown socket state", error.Message);
    }

    [Fact]
    public void NewSynRecvStateIsAccepted()
    {
        SocketRecord row = ProcNetParser.ParseLine(Tcp4Established.Replace(" 01 ", " 0C "), SocketProtocol.Tcp, isV6: false);

        Assert.Equal(SocketState.SynReceived, row.State);
    }

    [Fact]
    public void WrongAddressWidthIsMalformed()
    {
        Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(Tcp6Mapped, SocketProtocol.Tcp, isV6: false));
        Assert.Throws<SocketTableFormatException>(() => ProcNetParser.ParseLine(Tcp4Listener, SocketProtocol.Tcp, isV6: true));
    }

    [Fact]
    public void ASocketThePagedFilePrintsTwiceIsOneRow()
    {
        // seq_file resumes by position: a table that changed between two reads can repeat the line at the seam.
        string path = System.IO.Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllLines(path, new[]
            {
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                Tcp4Listener, Tcp4Established, Tcp4TimeWait, Tcp4TimeWait, Tcp4Established,
            });
            var rows = new System.Collections.Generic.List<SocketRecord>();
            ProcNetReader.ReadFile(path, SocketProtocol.Tcp, false, null, rows);
            Assert.Equal(new[] { SocketState.Listen, SocketState.Established, SocketState.TimeWait }, rows.ConvertAll(r => r.State));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
