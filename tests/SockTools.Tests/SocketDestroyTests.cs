using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using SockTools.Interop;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// Closing sockets with sock_diag SOCK_DESTROY: the request's bytes, the kernel's answer, and one real connection
/// closed (as root) or refused (without CAP_NET_ADMIN).
/// </summary>
public sealed class SocketDestroyTests
{
    [Fact]
    public void TheRequestNamesOneIPv4SocketByItsExactIdAndAsksForAnAnswer()
    {
        byte[] b = InetDiagRequest.Destroy(
            InetDiag.IPPROTO_TCP,
            AddressValue.FromIPAddress(IPAddress.Parse("192.168.17.5")), 8080,
            AddressValue.FromIPAddress(IPAddress.Parse("10.200.3.44")), 50010,
            interfaceIndex: 3, cookie: 0x0000_0001_8000_00FEUL, sequence: 99);

        Assert.Equal(72, b.Length);
        Assert.Equal(72u, NetlinkFixtureBuilder.GetU32(b, 0));
        Assert.Equal(21, NetlinkFixtureBuilder.GetU16(b, 4));      // SOCK_DESTROY
        Assert.Equal(0x5, NetlinkFixtureBuilder.GetU16(b, 6));     // NLM_F_REQUEST | NLM_F_ACK, no dump
        Assert.Equal(99u, NetlinkFixtureBuilder.GetU32(b, 8));
        Assert.Equal(2, b[16]);                                    // AF_INET
        Assert.Equal(6, b[17]);                                    // IPPROTO_TCP
        Assert.Equal(0u, NetlinkFixtureBuilder.GetU32(b, 20));     // no state mask
        Assert.Equal(new byte[] { 0x1F, 0x90, 0xC3, 0x5A }, b[24..28]);
        Assert.Equal(new byte[] { 192, 168, 17, 5 }, b[28..32]);
        Assert.Equal(new byte[12], b[32..44]);
        Assert.Equal(new byte[] { 10, 200, 3, 44 }, b[44..48]);
        Assert.Equal(3u, NetlinkFixtureBuilder.GetU32(b, 60));
        Assert.Equal(0x8000_00FEu, NetlinkFixtureBuilder.GetU32(b, 64)); // idiag_cookie[0]: low half, as the dump gave it
        Assert.Equal(1u, NetlinkFixtureBuilder.GetU32(b, 68));
    }

    [Fact]
    public void AnIPv6SocketKeepsItsFamilyAndMappedPeerAndAMissingCookieIsNoCookie()
    {
        byte[] b = InetDiagRequest.Destroy(
            InetDiag.IPPROTO_UDP,
            AddressValue.FromIPAddress(IPAddress.Parse("::ffff:127.0.0.1")), 53,
            AddressValue.FromIPAddress(IPAddress.Parse("::ffff:127.0.0.2")), 40000,
            interfaceIndex: 0, cookie: null, sequence: 1);

        Assert.Equal(10, b[16]); // AF_INET6: the kernel itself looks an IPv4-mapped pair up as IPv4
        Assert.Equal(17, b[17]);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1").GetAddressBytes(), b[28..44]);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.2").GetAddressBytes(), b[44..60]);
        Assert.Equal(0xFFFF_FFFFu, NetlinkFixtureBuilder.GetU32(b, 64));
        Assert.Equal(0xFFFF_FFFFu, NetlinkFixtureBuilder.GetU32(b, 68));
    }

    [Theory]
    [InlineData(0, "None")]
    [InlineData(-1, "EPERM")]
    [InlineData(-2, "ENOENT")]
    [InlineData(-95, "EOPNOTSUPP")]
    public void TheAnswerIsTheErrnoOfTheKernelsAcknowledgement(int wire, string expected)
    {
        byte[] answer = NetlinkFixtureBuilder.Create().Error(wire).Build();
        Assert.Equal(expected, DestroyAnswer.Read(answer, answer.Length, sequence: 7).ToString());
    }

    [Fact]
    public void AnAnswerToAnotherRequestIsNotTakenForThisOne()
    {
        byte[] answer = NetlinkFixtureBuilder.Create().Error(-1).Build();
        Assert.Null(DestroyAnswer.Read(answer, answer.Length, sequence: 8));
    }

    [Fact]
    public void ATruncatedAnswerIsMalformed()
    {
        byte[] answer = NetlinkFixtureBuilder.Create().Error(0).Build();
        Assert.Throws<SocketTableFormatException>(() => DestroyAnswer.Read(answer, 10, sequence: 7));
        byte[] noCode = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.NlmsgError, Array.Empty<byte>()).Build();
        NetlinkFixtureBuilder.PutU32(noCode, 8, 7);
        Assert.Throws<SocketTableFormatException>(() => DestroyAnswer.Read(noCode, noCode.Length, sequence: 7));
    }

    [Fact]
    public void ARealConnectionIsAbortedAsRootAndRefusedWithoutIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket server = listener.Accept();
        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;

        SocketEntry entry = Read(clientPort).Single();
        Assert.NotNull(entry.Cookie);
        using ISocketCloser closer = NetlinkSocketCloser.Open();
        SocketCloseOutcome outcome = closer.Close(entry);
        if (Libc.geteuid() != 0)
        {
            Assert.Equal(SocketCloseResult.Denied, outcome.Result);
            Assert.Contains("EPERM", outcome.Detail);
            Assert.Contains("CAP_NET_ADMIN", outcome.Advice);
            return;
        }

        Assert.Equal(SocketCloseResult.Closed, outcome.Result);
        var aborted = Assert.Throws<SocketException>(() => client.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionAborted, aborted.SocketErrorCode);
        Assert.Empty(Read(clientPort));
        Assert.Equal(SocketCloseResult.Gone, closer.Close(entry).Result);
    }

    private static SocketEntry[] Read(int localPort)
    {
        var query = new SocketQuery { IncludeUdp = false, LocalPorts = new PortSet(new[] { localPort }), States = new[] { SocketState.Established } };
        return SocketTable.Read(query, new TableSession(new QuietLog())).ToArray();
    }

    private sealed class QuietLog : ITableLog
    {
        public void Verbose(string message)
        {
        }

        public void Warning(string id, string message)
        {
        }

        public void Failed(SocketTableException error) => throw error;
    }
}
