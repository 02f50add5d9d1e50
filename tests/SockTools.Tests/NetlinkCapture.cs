using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using SockTools.Interop;
using SockTools.Table.Linux;

namespace SockTools.Tests;

/// <summary>
/// Captures real sock_diag replies from this machine's kernel: sends a request (normally the bytes
/// <see cref="InetDiagRequest.Dump"/> builds) on a NETLINK_SOCK_DIAG socket and keeps every reply
/// buffer until the dump ends. The captures in Fixtures/*.bin were made with it
/// (see <see cref="FixtureDirectoryVariable"/>), filtered to the loopback sockets of a <see cref="LoopbackScene"/>.
/// </summary>
internal static unsafe class NetlinkCapture
{
    /// <summary>When set to a directory, the live netlink test also writes what it captured there as fixtures.</summary>
    internal const string FixtureDirectoryVariable = "SOCKTOOLS_CAPTURE_FIXTURES";

    /// <summary>Sends <paramref name="request"/> and returns the reply buffers, the last one holding NLMSG_DONE or NLMSG_ERROR.</summary>
    internal static List<byte[]> Exchange(byte[] request)
    {
        using NetlinkSocket socket = NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "NETLINK_SOCK_DIAG");
        socket.Send(request, "capture request");
        var replies = new List<byte[]>();
        var buffer = new byte[256 * 1024];
        while (true)
        {
            int received = socket.Receive(buffer, wait: true, "capture reply");
            if (received == 0)
            {
                throw new InvalidOperationException("The netlink socket closed before the dump ended.");
            }

            byte[] reply = buffer.AsSpan(0, received).ToArray();
            replies.Add(reply);
            if (EndsDump(reply))
            {
                return replies;
            }
        }
    }

    /// <summary>
    /// Concatenates the socket messages <paramref name="wanted"/> accepts (by local and remote port)
    /// and the message that ended the dump, byte for byte as the kernel sent them.
    /// </summary>
    internal static byte[] Keep(IEnumerable<byte[]> replies, Func<ushort, ushort, bool> wanted)
    {
        var kept = new MemoryStream();
        foreach (byte[] reply in replies)
        {
            foreach ((int offset, int length, ushort type) in Messages(reply))
            {
                bool keep = type == NetlinkFixtureBuilder.SockDiagByFamily
                    ? wanted(BigEndian16(reply, offset + 20), BigEndian16(reply, offset + 22))
                    : type == NetlinkFixtureBuilder.NlmsgDone || type == NetlinkFixtureBuilder.NlmsgError;
                if (keep)
                {
                    kept.Write(reply, offset, (length + 3) & ~3);
                }
            }
        }

        return kept.ToArray();
    }

    /// <summary>Walks a reply independently of the parser under test: (offset, nlmsg_len, nlmsg_type) per message.</summary>
    internal static IEnumerable<(int Offset, int Length, ushort Type)> Messages(byte[] reply)
    {
        int offset = 0;
        while (offset + 16 <= reply.Length)
        {
            int length = (int)NetlinkFixtureBuilder.GetU32(reply, offset);
            if (length < 16 || offset + length > reply.Length)
            {
                yield break;
            }

            yield return (offset, length, NetlinkFixtureBuilder.GetU16(reply, offset + 4));
            offset += (length + 3) & ~3;
        }
    }

    /// <summary>The socket inode behind a .NET socket, from its /proc/self/fd link.</summary>
    internal static ulong InodeOf(Socket socket)
    {
        string? target = new FileInfo($"/proc/self/fd/{socket.Handle}").LinkTarget;
        if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"fd {socket.Handle} is not a socket: {target}");
        }

        return ulong.Parse(target.AsSpan(8, target.Length - 9));
    }

    private static bool EndsDump(byte[] reply)
    {
        foreach (var message in Messages(reply))
        {
            if (message.Type == NetlinkFixtureBuilder.NlmsgDone || message.Type == NetlinkFixtureBuilder.NlmsgError)
            {
                return true;
            }
        }

        return false;
    }

    private static ushort BigEndian16(byte[] b, int offset) => (ushort)((b[offset] << 8) | b[offset + 1]);
}

/// <summary>
/// Loopback sockets this process opens so a dump has something known to report: TCP listeners and
/// established pairs over IPv4, IPv6 and IPv4-mapped IPv6, a client in TIME_WAIT, and UDP sockets
/// (one unconnected, one connected). Nothing listens beyond loopback.
/// </summary>
internal sealed class LoopbackScene : IDisposable
{
    private readonly List<Socket> _sockets = new();

    internal LoopbackScene()
    {
        Tcp4Listener = Listen(IPAddress.Loopback, dualMode: false);
        (Tcp4Client, Tcp4Server) = Connect(Tcp4Listener, IPAddress.Loopback);

        Tcp6Listener = Listen(IPAddress.IPv6Loopback, dualMode: false);
        (Tcp6Client, Tcp6Server) = Connect(Tcp6Listener, IPAddress.IPv6Loopback);

        // An IPv6 socket bound to ::ffff:127.0.0.1 takes IPv4 connections; the kernel shows both ends mapped.
        MappedListener = Listen(IPAddress.Parse("::ffff:127.0.0.1"), dualMode: true);
        (MappedClient, MappedServer) = Connect(MappedListener, IPAddress.Loopback);

        // The side that closes first ends in TIME_WAIT, with no inode and timer 3.
        var (client, server) = Connect(Tcp4Listener, IPAddress.Loopback);
        TimeWaitPort = Port(client.LocalEndPoint);
        client.Shutdown(SocketShutdown.Both);
        client.Close();
        server.ReceiveTimeout = 5000;
        _ = server.Receive(new byte[1]); // the peer's FIN
        server.Close();
        _sockets.Remove(client);
        _sockets.Remove(server);

        Udp4 = Add(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        Udp4.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Udp6Peer = Add(new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        Udp6Peer.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        Udp6Connected = Add(new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        Udp6Connected.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        Udp6Connected.Connect(Udp6Peer.LocalEndPoint!);

        // Give the kernel a moment to move the closed pair through FIN_WAIT into TIME_WAIT.
        Thread.Sleep(100);
    }

    internal Socket Tcp4Listener { get; }
    internal Socket Tcp4Client { get; }
    internal Socket Tcp4Server { get; }
    internal Socket Tcp6Listener { get; }
    internal Socket Tcp6Client { get; }
    internal Socket Tcp6Server { get; }
    internal Socket MappedListener { get; }
    internal Socket MappedClient { get; }
    internal Socket MappedServer { get; }
    internal ushort TimeWaitPort { get; }
    internal Socket Udp4 { get; }
    internal Socket Udp6Peer { get; }
    internal Socket Udp6Connected { get; }

    /// <summary>Every local port of the scene: what a capture keeps.</summary>
    internal HashSet<ushort> Ports
    {
        get
        {
            var ports = new HashSet<ushort> { TimeWaitPort };
            foreach (Socket s in _sockets)
            {
                ports.Add(Port(s.LocalEndPoint));
            }

            return ports;
        }
    }

    /// <summary>The socket inodes of every open socket of the scene.</summary>
    internal HashSet<ulong> Inodes
    {
        get
        {
            var inodes = new HashSet<ulong>();
            foreach (Socket s in _sockets)
            {
                inodes.Add(NetlinkCapture.InodeOf(s));
            }

            return inodes;
        }
    }

    internal static ushort Port(EndPoint? endPoint) => (ushort)((IPEndPoint)endPoint!).Port;

    public void Dispose()
    {
        foreach (Socket s in _sockets)
        {
            s.Dispose();
        }
    }

    private Socket Add(Socket s)
    {
        _sockets.Add(s);
        return s;
    }

    private Socket Listen(IPAddress address, bool dualMode)
    {
        var s = Add(new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            s.DualMode = dualMode;
        }

        s.Bind(new IPEndPoint(address, 0));
        s.Listen(16);
        return s;
    }

    private (Socket Client, Socket Server) Connect(Socket listener, IPAddress target)
    {
        var client = Add(new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        client.Connect(new IPEndPoint(target, Port(listener.LocalEndPoint)));
        var server = Add(listener.Accept());
        return (client, server);
    }
}
