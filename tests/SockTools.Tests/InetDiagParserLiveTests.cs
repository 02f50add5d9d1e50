using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using SockTools.Interop;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The parser against this machine's kernel: a real dump (the module's own request bytes) of
/// loopback sockets this test opens, parsed and checked against what the test knows about them.
/// With SOCKTOOLS_CAPTURE_FIXTURES=&lt;dir&gt; the filtered replies are also saved as fixtures.
/// </summary>
public sealed class InetDiagParserLiveTests : IDisposable
{
    private readonly LoopbackScene _scene = new();
    private readonly uint _uid = Libc.geteuid();

    public void Dispose() => _scene.Dispose();

    [Fact]
    public void Tcp4DumpReportsTheListenerBothEndsAndTimeWait()
    {
        List<SocketRecord> rows = Capture(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, SocketProtocol.Tcp, "tcp4-loopback.bin");
        ushort listen = LoopbackScene.Port(_scene.Tcp4Listener.LocalEndPoint);
        ushort client = LoopbackScene.Port(_scene.Tcp4Client.LocalEndPoint);

        SocketRecord listener = Single(rows, listen, 0);
        Assert.Equal(SocketState.Listen, listener.State);
        Assert.Equal("127.0.0.1", listener.LocalAddress.ToString());
        Assert.Equal("0.0.0.0", listener.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp4Listener), listener.Inode);
        Assert.Equal(_uid, listener.Uid);
        Assert.Equal(16u, listener.SendQueue); // a listener's Send-Q is its backlog
        Assert.NotEqual(0UL, listener.Cookie);

        SocketRecord outbound = Single(rows, client, listen);
        Assert.Equal(SocketState.Established, outbound.State);
        Assert.Equal("127.0.0.1", outbound.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp4Client), outbound.Inode);

        SocketRecord inbound = Single(rows, listen, client);
        Assert.Equal(SocketState.Established, inbound.State);
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp4Server), inbound.Inode);
        Assert.NotEqual(outbound.Cookie, inbound.Cookie);

        // The client of the mapped listener is a plain IPv4 socket, so it is in the AF_INET dump.
        ushort mapped = LoopbackScene.Port(_scene.MappedListener.LocalEndPoint);
        Assert.Equal(NetlinkCapture.InodeOf(_scene.MappedClient), Single(rows, LoopbackScene.Port(_scene.MappedClient.LocalEndPoint), mapped).Inode);

        SocketRecord timeWait = Single(rows, _scene.TimeWaitPort, listen);
        Assert.Equal(SocketState.TimeWait, timeWait.State);
        Assert.Equal(0UL, timeWait.Inode);
        Assert.Equal(SocketTimer.TimeWait, timeWait.Timer);
        Assert.InRange(timeWait.TimerExpiresMs, 1u, 60_000u);
    }

    [Fact]
    public void Tcp6DumpReportsLoopbackAndIPv4MappedSockets()
    {
        List<SocketRecord> rows = Capture(InetDiag.AF_INET6, InetDiag.IPPROTO_TCP, SocketProtocol.Tcp, "tcp6-loopback.bin");
        ushort listen = LoopbackScene.Port(_scene.Tcp6Listener.LocalEndPoint);
        ushort client = LoopbackScene.Port(_scene.Tcp6Client.LocalEndPoint);

        SocketRecord listener = Single(rows, listen, 0);
        Assert.True(listener.IsV6);
        Assert.Equal(SocketState.Listen, listener.State);
        Assert.True(listener.V6Only); // opened with DualMode off
        Assert.False(Single(rows, LoopbackScene.Port(_scene.MappedListener.LocalEndPoint), 0).V6Only);
        Assert.Equal("::1", listener.LocalAddress.ToString());
        Assert.Equal("::", listener.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp6Listener), listener.Inode);

        SocketRecord outbound = Single(rows, client, listen);
        Assert.Equal(SocketState.Established, outbound.State);
        Assert.Equal("::1", outbound.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp6Client), outbound.Inode);

        ushort mapped = LoopbackScene.Port(_scene.MappedListener.LocalEndPoint);
        SocketRecord mappedListener = Single(rows, mapped, 0);
        Assert.Equal("::ffff:127.0.0.1", mappedListener.LocalAddress.ToString());
        Assert.True(mappedListener.LocalAddress.IsV4Mapped);
        Assert.Equal(Exposure.Loopback, mappedListener.LocalAddress.Exposure);

        SocketRecord mappedServer = Single(rows, mapped, LoopbackScene.Port(_scene.MappedClient.LocalEndPoint));
        Assert.Equal(SocketState.Established, mappedServer.State);
        Assert.Equal("::ffff:127.0.0.1", mappedServer.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.MappedServer), mappedServer.Inode);
        Assert.All(rows, r => Assert.Equal(_uid, r.Uid));
    }

    [Fact]
    public void UdpDumpsReportUnconnectedAndConnectedSockets()
    {
        List<SocketRecord> v4 = Capture(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, SocketProtocol.Udp, "udp4-loopback.bin");
        SocketRecord unconnected = Single(v4, LoopbackScene.Port(_scene.Udp4.LocalEndPoint), 0);
        Assert.Equal(SocketState.Unconnected, unconnected.State);
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Udp4), unconnected.Inode);

        List<SocketRecord> v6 = Capture(InetDiag.AF_INET6, InetDiag.IPPROTO_UDP, SocketProtocol.Udp, "udp6-loopback.bin");
        ushort peer = LoopbackScene.Port(_scene.Udp6Peer.LocalEndPoint);
        SocketRecord connected = Single(v6, LoopbackScene.Port(_scene.Udp6Connected.LocalEndPoint), peer);
        Assert.Equal(SocketState.Established, connected.State);
        Assert.Equal("::1", connected.RemoteAddress.ToString());
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Udp6Connected), connected.Inode);
        Assert.Equal(SocketState.Unconnected, Single(v6, peer, 0).State);
    }

    [Fact]
    public void KernelStateMaskLimitsTheDump()
    {
        uint listenOnly = KernelStates.Bit(KernelStates.Listen);
        var replies = NetlinkCapture.Exchange(InetDiagRequest.Dump(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, listenOnly, 1));
        var rows = ParseAll(replies, SocketProtocol.Tcp);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(SocketState.Listen, r.State));
        Assert.Contains(rows, r => r.LocalPort == LoopbackScene.Port(_scene.Tcp4Listener.LocalEndPoint));
    }

    [Fact]
    public void PortBytecodeLimitsTheDump()
    {
        ushort listen = LoopbackScene.Port(_scene.Tcp4Listener.LocalEndPoint);
        ushort client = LoopbackScene.Port(_scene.Tcp4Client.LocalEndPoint);

        // -Port: either end. The kernel runs the program and sends only sockets it accepts.
        var either = new Query.SocketQuery { AnyPorts = new Query.PortSet(new int[] { listen }) };
        var rows = DumpWith(either);
        Assert.All(rows, r => Assert.True(r.LocalPort == listen || r.RemotePort == listen));
        Assert.Contains(rows, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp4Listener));
        Assert.Contains(rows, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp4Client));
        Assert.Contains(rows, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp4Server));
        Assert.Contains(rows, r => r.LocalPort == _scene.TimeWaitPort && r.State == SocketState.TimeWait);

        // -LocalPort and -RemotePort together: both must hold.
        var both = new Query.SocketQuery
        {
            LocalPorts = new Query.PortSet(new int[] { client }),
            RemotePorts = new Query.PortSet(new int[] { listen }),
        };
        Assert.Equal(NetlinkCapture.InodeOf(_scene.Tcp4Client), Assert.Single(DumpWith(both)).Inode);
    }

    [Fact]
    public void KernelRefusalIsANetlinkError()
    {
        // AF_MAX is far below 99: the kernel refuses the request itself with NLMSG_ERROR -EINVAL.
        var refused = NetlinkCapture.Exchange(InetDiagRequest.Dump(99, InetDiag.IPPROTO_TCP, uint.MaxValue, 1));
        Save("error-einval.bin", refused.SelectMany(b => b).ToArray());
        var error = Assert.Throws<NetlinkErrorException>(() => ParseAll(refused, SocketProtocol.Tcp));
        Assert.Equal(22, error.ErrorNumber);

        // No sock_diag handler for protocol 255: the dump starts, then ends in NLMSG_DONE carrying -ENOENT.
        var failed = NetlinkCapture.Exchange(InetDiagRequest.Dump(InetDiag.AF_INET, 255, uint.MaxValue, 1));
        Save("done-enoent.bin", failed.SelectMany(b => b).ToArray());
        Assert.Equal(2, Assert.Throws<NetlinkErrorException>(() => ParseAll(failed, SocketProtocol.Tcp)).ErrorNumber);
    }

    [Fact]
    public void OneWalkTcpDumpHoldsWhatBothPerFamilyDumpsHold()
    {
        uint mask = KernelStates.MaskFor(new Query.SocketQuery(), SocketProtocol.Tcp);
        var inodes = _scene.Inodes;
        static string Key(SocketRecord r) => $"{r.LocalAddress}:{r.LocalPort} {r.RemoteAddress}:{r.RemotePort} {r.State} {r.Inode}";
        List<string> Ours(List<SocketRecord> rows) => rows.Where(r => inodes.Contains(r.Inode)).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();

        var oneWalk = ParseAll(NetlinkCapture.Exchange(InetDiagRequest.TcpDump(mask, 1)), SocketProtocol.Tcp);
        var perFamily = ParseAll(NetlinkCapture.Exchange(InetDiagRequest.Dump(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, mask, 2)), SocketProtocol.Tcp)
            .Concat(ParseAll(NetlinkCapture.Exchange(InetDiagRequest.Dump(InetDiag.AF_INET6, InetDiag.IPPROTO_TCP, mask, 3)), SocketProtocol.Tcp))
            .ToList();

        Assert.Equal(Ours(perFamily), Ours(oneWalk));
        Assert.Contains(oneWalk, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp4Listener) && !r.IsV6);
        Assert.Contains(oneWalk, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp6Listener) && r.IsV6);
        Assert.Contains(oneWalk, r => r.Inode == NetlinkCapture.InodeOf(_scene.Tcp6Client) && r.State == SocketState.Established);
    }

    [Fact]
    public void ModuleReaderAndProcFileAgreeWithTheCapture()
    {
        var inodes = _scene.Inodes;
        var netlink = new List<SocketRecord>();
        new NetlinkSocketReader().Read(new Query.SocketQuery(), netlink);
        var proc = new List<SocketRecord>();
        new ProcNetReader().Read(new Query.SocketQuery(), proc);

        static string Key(SocketRecord r) => $"{r.Protocol} {r.LocalAddress}:{r.LocalPort} {r.RemoteAddress}:{r.RemotePort} {r.State} {r.Inode} {r.Uid}";
        bool Ours(SocketRecord r) => r.Inode != 0 ? inodes.Contains(r.Inode) : r.LocalPort == _scene.TimeWaitPort;
        var fromNetlink = netlink.Where(Ours).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var fromProc = proc.Where(Ours).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(inodes.Count + 1, fromNetlink.Count);
        Assert.Equal(fromNetlink, fromProc);
    }

    private List<SocketRecord> Capture(byte family, byte protocolNumber, SocketProtocol protocol, string fixtureName)
    {
        var replies = NetlinkCapture.Exchange(InetDiagRequest.Dump(family, protocolNumber, uint.MaxValue, 1));
        var ports = _scene.Ports;
        byte[] kept = NetlinkCapture.Keep(replies, (local, remote) => ports.Contains(local) && (remote == 0 || ports.Contains(remote)));
        Save(fixtureName, kept);

        var rows = new List<SocketRecord>();
        Assert.True(InetDiagParser.Parse(kept, kept.Length, protocol, null, rows));
        Assert.All(rows, r => Assert.Equal(family == InetDiag.AF_INET6, r.IsV6));
        return rows;
    }

    private static List<SocketRecord> DumpWith(Query.SocketQuery query)
    {
        byte[]? bytecode = InetDiagBytecode.Compile(query);
        Assert.NotNull(bytecode);
        var replies = NetlinkCapture.Exchange(InetDiagRequest.Dump(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, uint.MaxValue, 1, bytecode));
        return ParseAll(replies, SocketProtocol.Tcp); // no user-space filter: what the kernel kept
    }

    private static List<SocketRecord> ParseAll(List<byte[]> replies, SocketProtocol protocol)
    {
        var rows = new List<SocketRecord>();
        bool done = false;
        foreach (byte[] reply in replies)
        {
            done = InetDiagParser.Parse(reply, reply.Length, protocol, null, rows);
        }

        Assert.True(done);
        return rows;
    }

    private static SocketRecord Single(List<SocketRecord> rows, ushort localPort, ushort remotePort)
        => Assert.Single(rows, r => r.LocalPort == localPort && r.RemotePort == remotePort);

    private static void Save(string name, byte[] bytes)
    {
        string? directory = Environment.GetEnvironmentVariable(NetlinkCapture.FixtureDirectoryVariable);
        if (!string.IsNullOrEmpty(directory))
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }
}
