using System;
using System.Linq;
using System.Net;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using SockTools.Watch;
using Xunit;

namespace SockTools.Tests;

/// <summary>How the query, the kernel state masks and the watch's keys treat UNIX sockets.</summary>
public sealed class UnixQueryTests
{
    private static SocketRecord Unix(byte state, string? path, UnixSocketType type = UnixSocketType.Stream, ulong inode = 100, ulong peer = 0) => new()
    {
        Protocol = SocketProtocol.Unix,
        State = KernelStates.ToSocketState(SocketProtocol.Unix, state),
        Inode = inode,
        Unix = new UnixSocketDetails(type, path, peer),
    };

    private static SocketRecord Tcp(ushort port = 80) => new()
    {
        Protocol = SocketProtocol.Tcp,
        State = SocketState.Listen,
        LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
        LocalPort = port,
        RemoteAddress = AddressValue.FromIPAddress(IPAddress.Any),
        Inode = 5,
    };

    [Fact]
    public void TheDefaultQueryIsTcpAndUdpOnly()
    {
        var query = new SocketQuery();

        Assert.False(query.Matches(Unix(KernelStates.Listen, "/run/a.sock")));
        Assert.Equal(0u, KernelStates.MaskFor(query, SocketProtocol.Unix));
        Assert.True(query.Matches(Tcp()));
    }

    [Fact]
    public void UnixSocketsPassNoIpFilterAndTcpNoPathFilter()
    {
        SocketRecord unix = Unix(KernelStates.Listen, "/run/a.sock");
        var withPort = new SocketQuery { IncludeUnix = true, AnyPorts = new PortSet(new[] { 80 }) };
        var withFamily = new SocketQuery { IncludeUnix = true, FiltersOnAddressFamily = true };
        var withAddress = new SocketQuery { IncludeUnix = true, LocalAddresses = new[] { AddressRange.Parse("0.0.0.0/0") } };
        var withExposure = new SocketQuery { IncludeUnix = true, Exposures = new[] { Exposure.Loopback } };
        var withPath = new SocketQuery { IncludeUnix = true, PathMatch = _ => true };

        foreach (SocketQuery q in new[] { withPort, withFamily, withAddress, withExposure })
        {
            Assert.False(q.Matches(unix));
            Assert.Equal(0u, KernelStates.MaskFor(q, SocketProtocol.Unix)); // the UNIX table is not even read
        }

        Assert.True(withPath.Matches(unix));
        Assert.False(withPath.Matches(Tcp()));
        Assert.Equal(0u, KernelStates.MaskFor(withPath, SocketProtocol.Tcp));
    }

    [Fact]
    public void APathFilterNeverMatchesAnUnnamedSocket()
    {
        var everyName = new SocketQuery { IncludeUnix = true, PathMatch = _ => true };

        Assert.False(everyName.Matches(Unix(KernelStates.Established, null)));
        Assert.True(everyName.Matches(Unix(KernelStates.Established, "@abstract")));
    }

    [Fact]
    public void StatesSelectUnixSocketsAndBecomeTheirKernelMask()
    {
        var query = new SocketQuery { IncludeUnix = true, States = new[] { SocketState.Listen, SocketState.Unconnected, SocketState.TimeWait } };

        Assert.True(query.Matches(Unix(KernelStates.Listen, "/a")));
        Assert.True(query.Matches(Unix(KernelStates.Close, null)));
        Assert.False(query.Matches(Unix(KernelStates.Established, "/a")));
        Assert.Equal(KernelStates.Bit(KernelStates.Listen) | KernelStates.Bit(KernelStates.Close), KernelStates.MaskFor(query, SocketProtocol.Unix));
        Assert.Equal(KernelStates.AllUnixStates, KernelStates.MaskFor(new SocketQuery { IncludeUnix = true }, SocketProtocol.Unix));
    }

    [Fact]
    public void ListenersAreListeningSocketsAndNamedDatagramSocketsWithoutAPeerInAnyState()
    {
        var listeners = new SocketQuery { IncludeUnix = true, States = new[] { SocketState.Listen, SocketState.Unconnected }, ListenersOnly = true };

        Assert.True(listeners.Matches(Unix(KernelStates.Listen, "/run/a.sock")));
        Assert.True(listeners.Matches(Unix(KernelStates.Listen, null, UnixSocketType.SeqPacket)));
        Assert.True(listeners.Matches(Unix(KernelStates.Close, "/run/notify", UnixSocketType.Datagram)));
        Assert.True(listeners.Matches(Unix(KernelStates.Established, "/dev/log", UnixSocketType.Datagram))); // connected to by a client (kernel 5.15+)
        Assert.False(listeners.Matches(Unix(KernelStates.Established, "/tmp/c", UnixSocketType.Datagram, peer: 7))); // talks to one peer only
        Assert.False(listeners.Matches(Unix(KernelStates.Close, null, UnixSocketType.Datagram)));  // nobody can address it
        Assert.False(listeners.Matches(Unix(KernelStates.Close, "/tmp/bound", UnixSocketType.Stream)));
        Assert.False(listeners.Matches(Unix(KernelStates.Established, "/run/a.sock", UnixSocketType.Stream, peer: 9)));
        Assert.Equal(KernelStates.Bit(KernelStates.Listen) | KernelStates.Bit(KernelStates.Close) | KernelStates.Bit(KernelStates.Established),
            KernelStates.MaskFor(listeners, SocketProtocol.Unix));
    }

    [Fact]
    public void TheWatchKeysAUnixSocketByItsInodeAlone()
    {
        SocketRecord first = Unix(KernelStates.Established, "/run/a.sock", inode: 1, peer: 10);
        SocketRecord second = Unix(KernelStates.Established, "/run/a.sock", inode: 2, peer: 11);
        SocketRecord firstLater = Unix(KernelStates.Close, "/run/a.sock", inode: 1);
        SocketRecord unnamed = Unix(KernelStates.Established, null, inode: 3);

        Assert.NotEqual(new SocketKey(first), new SocketKey(second));
        Assert.Equal(new SocketKey(first), new SocketKey(firstLater));
        Assert.NotEqual(new SocketKey(unnamed), new SocketKey(Unix(KernelStates.Established, null, inode: 4)));
        var entry = SocketEntry.Of(in first, null, null, EntryOwner.None, null);
        Assert.Equal(new SocketKey(first), new SocketKey(entry));
    }

    [Fact]
    public void AUnixEntryHasNoIpWordsAndReadsLikeSs()
    {
        SocketRecord row = Unix(KernelStates.Established, "/run/docker.sock", inode: 12, peer: 13);
        row.Unseen = UnseenFields.Timer | UnseenFields.Retransmits;
        row.ReceiveQueue = 5;
        row.SendQueue = 0;
        var entry = SocketEntry.Of(in row, null, null, EntryOwner.None, null);

        Assert.Null(entry.LocalAddress);
        Assert.Null(entry.LocalPort);
        Assert.Null(entry.RemotePort);
        Assert.Null(entry.AddressFamily);
        Assert.Null(entry.Exposure);
        Assert.Null(entry.Timer);
        Assert.Null(entry.Retransmits);
        Assert.Equal("/run/docker.sock", entry.LocalEndpoint);
        Assert.Null(entry.RemoteEndpoint);
        Assert.Equal(13L, entry.PeerInode);
        Assert.Null(entry.PeerProcessId); // no book: no lookup, and no guess
        Assert.Equal("u_str ESTAB 5 0 /run/docker.sock 12 * 13", entry.ToString());
        Assert.Equal("u_dgr UNCONN - - * 14 * 0", Unconnected().ToString());
    }

    private static SocketEntry Unconnected()
    {
        SocketRecord row = Unix(KernelStates.Close, null, UnixSocketType.Datagram, inode: 14);
        row.Unseen = UnseenFields.Queues;
        return SocketEntry.Of(in row, null, null, EntryOwner.None, null);
    }
}
