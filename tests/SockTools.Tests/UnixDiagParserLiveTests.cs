using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using SockTools.Interop;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// Both UNIX readers against this machine's kernel: a real unix_diag dump (the module's own request bytes) and
/// /proc/net/unix, for UNIX sockets this test opens: a named listener with one connection, an abstract datagram socket.
/// </summary>
public sealed class UnixDiagParserLiveTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"unixown-xunit-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
    private readonly string _abstract = $"unixown-xunit-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly Socket _listener;
    private readonly Socket _client;
    private readonly Socket _accepted;
    private readonly Socket _datagram;

    public UnixDiagParserLiveTests()
    {
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(7);
        _client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _client.Connect(new UnixDomainSocketEndPoint(_path));
        _accepted = _listener.Accept();
        _client.Send(new byte[100]); // 100 bytes wait, unread, in the accepted socket's receive queue
        _datagram = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _datagram.Bind(new UnixDomainSocketEndPoint("\0" + _abstract));
    }

    public void Dispose()
    {
        foreach (Socket s in new[] { _client, _accepted, _listener, _datagram })
        {
            s.Dispose();
        }

        File.Delete(_path);
    }

    private ulong[] Ours => new[] { _listener, _client, _accepted, _datagram }.Select(NetlinkCapture.InodeOf).ToArray();

    private List<SocketRecord> Dump()
    {
        var rows = new List<SocketRecord>();
        foreach (byte[] reply in NetlinkCapture.Exchange(UnixDiagRequest.Dump(KernelStates.AllUnixStates, 1, UnixDiag.ShowAlways)))
        {
            UnixDiagParser.Parse(reply, reply.Length, null, rows);
        }

        return rows.Where(r => Ours.Contains(r.Inode)).ToList();
    }

    private static SocketRecord Of(List<SocketRecord> rows, Socket socket) => Assert.Single(rows, r => r.Inode == NetlinkCapture.InodeOf(socket));

    [Fact]
    public void NetlinkDumpReportsNamesKindsStatesPeersQueuesAndUid()
    {
        if (!OperatingSystem.IsLinux()) return;
        List<SocketRecord> rows = Dump();
        Assert.Equal(4, rows.Count);

        SocketRecord listener = Of(rows, _listener);
        Assert.Equal(SocketState.Listen, listener.State);
        Assert.Equal(_path, listener.Unix!.Path);
        Assert.Equal(UnixSocketType.Stream, listener.Unix.Type);
        Assert.Equal(7u, listener.SendQueue);
        Assert.Equal(Libc.geteuid(), listener.Uid);
        Assert.NotEqual(0UL, listener.Cookie);

        SocketRecord client = Of(rows, _client);
        SocketRecord accepted = Of(rows, _accepted);
        Assert.Equal(SocketState.Established, client.State);
        Assert.Null(client.Unix!.Path);
        Assert.Equal(_path, accepted.Unix!.Path);
        Assert.Equal(NetlinkCapture.InodeOf(_accepted), client.Unix.PeerInode);
        Assert.Equal(NetlinkCapture.InodeOf(_client), accepted.Unix.PeerInode);
        Assert.Equal(100u, accepted.ReceiveQueue);

        SocketRecord datagram = Of(rows, _datagram);
        Assert.Equal("@" + _abstract, datagram.Unix!.Path);
        Assert.Equal(UnixSocketType.Datagram, datagram.Unix.Type);
        Assert.Equal(SocketState.Unconnected, datagram.State);
    }

    [Fact]
    public void ProcNetUnixAgreesOnNamesKindsAndStates()
    {
        if (!OperatingSystem.IsLinux()) return;
        List<SocketRecord> viaNetlink = Dump();
        var viaProc = new List<SocketRecord>();
        ProcNetReader.ReadUnixFile("/proc/net/unix", null, viaProc);
        viaProc = viaProc.Where(r => Ours.Contains(r.Inode)).ToList();

        Assert.Equal(viaNetlink.Select(r => r.Inode).OrderBy(i => i), viaProc.Select(r => r.Inode).OrderBy(i => i));
        foreach (SocketRecord proc in viaProc)
        {
            SocketRecord netlink = viaNetlink.Single(r => r.Inode == proc.Inode);
            Assert.Equal(netlink.State, proc.State);
            Assert.Equal(netlink.Unix!.Path, proc.Unix!.Path);
            Assert.Equal(netlink.Unix.Type, proc.Unix.Type);
            Assert.Equal(0UL, proc.Unix.PeerInode);
        }
    }
}
