using System.Collections.Generic;
using System.Net;
using System.Runtime.InteropServices;
using SockTools.Interop.Windows;
using SockTools.Table;
using SockTools.Table.Windows;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>
/// Close-SockConnection on Windows: the MIB_TCPROW handed to SetTcpEntry (byte for byte against tcpmib.h), what
/// each answer means, and the sockets Windows cannot close, refused before any call. SetTcpEntry itself is
/// replaced by a recorder: no Windows is at hand.
/// </summary>
public sealed class WindowsSocketCloserTests
{
    private static SocketEntry Entry(string local, ushort localPort, string remote, ushort remotePort, SocketState state = SocketState.Established, SocketProtocol protocol = SocketProtocol.Tcp)
    {
        var row = new SocketRecord
        {
            Protocol = protocol,
            State = state,
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Parse(local)),
            LocalPort = localPort,
            RemoteAddress = AddressValue.FromIPAddress(IPAddress.Parse(remote)),
            RemotePort = remotePort,
            ProcessId = 4242,
        };
        return SocketEntry.Of(in row, local, remote, EntryOwner.None, null);
    }

    [Fact]
    public void MibTcpRowHasTheDocumentedSizeAndOffsets()
    {
        Assert.Equal(20, Marshal.SizeOf<MibTcpRow>());
        Assert.Equal(0, Marshal.OffsetOf<MibTcpRow>(nameof(MibTcpRow.State)).ToInt32());
        Assert.Equal(4, Marshal.OffsetOf<MibTcpRow>(nameof(MibTcpRow.LocalAddr)).ToInt32());
        Assert.Equal(8, Marshal.OffsetOf<MibTcpRow>(nameof(MibTcpRow.LocalPort)).ToInt32());
        Assert.Equal(12, Marshal.OffsetOf<MibTcpRow>(nameof(MibTcpRow.RemoteAddr)).ToInt32());
        Assert.Equal(16, Marshal.OffsetOf<MibTcpRow>(nameof(MibTcpRow.RemotePort)).ToInt32());
    }

    [Fact]
    public void TheRowNamesTheConnectionInNetworkByteOrderWithStateDeleteTcb()
    {
        var calls = new List<MibTcpRow>();
        var closer = new WindowsSocketCloser(row => { calls.Add(row); return 0; });

        SocketCloseOutcome outcome = closer.Close(Entry("192.168.1.20", 50123, "10.0.0.5", 5432));

        Assert.Equal(SocketCloseResult.Closed, outcome.Result);
        MibTcpRow sent = Assert.Single(calls);
        byte[] bytes = new byte[20];
        MemoryMarshal.Write(bytes, in sent);
        Assert.Equal(new byte[]
        {
            12, 0, 0, 0,            // MIB_TCP_STATE_DELETE_TCB
            192, 168, 1, 20,        // local address, network order
            0xC3, 0xCB, 0, 0,       // 50123 = 0xC3CB, network order in the low 16 bits
            10, 0, 0, 5,
            0x15, 0x38, 0, 0,       // 5432 = 0x1538
        }, bytes);
    }

    [Theory]
    [InlineData(5u, "Denied")]      // ERROR_ACCESS_DENIED
    [InlineData(317u, "Denied")]    // not elevated, as SetTcpEntry's remarks say
    [InlineData(1168u, "Gone")]     // ERROR_NOT_FOUND: no such connection any more
    [InlineData(87u, "Failed")]     // ERROR_INVALID_PARAMETER
    [InlineData(50u, "Failed")]     // ERROR_NOT_SUPPORTED (no IPv4 transport)
    public void EachAnswerHasItsMeaning(uint error, string expected)
    {
        SocketCloseOutcome outcome = new WindowsSocketCloser(_ => error).Close(Entry("127.0.0.1", 40000, "127.0.0.1", 8080));

        Assert.Equal(expected, outcome.Result.ToString());
        if (expected == "Denied")
        {
            Assert.Contains("Run as administrator", outcome.Advice);
        }

        if (expected == "Failed")
        {
            Assert.Contains($"({error})", outcome.Detail);
        }
    }

    [Theory]
    [InlineData("::1", "::1", SocketProtocol.Tcp, SocketState.Established, "IPv6")]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1", SocketProtocol.Tcp, SocketState.Established, "IPv6")]
    [InlineData("127.0.0.1", "127.0.0.1", SocketProtocol.Udp, SocketState.Established, "UDP")]
    [InlineData("127.0.0.1", "127.0.0.1", SocketProtocol.Tcp, SocketState.TimeWait, "TIME_WAIT")]
    public void WhatWindowsCannotCloseIsRefusedWithoutACall(string local, string remote, SocketProtocol protocol, SocketState state, string said)
    {
        bool called = false;
        SocketCloseOutcome outcome = new WindowsSocketCloser(_ => { called = true; return 0; }).Close(Entry(local, 40000, remote, 8080, state, protocol));

        Assert.False(called);
        Assert.Equal(SocketCloseResult.StateUnsupported, outcome.Result);
        Assert.Contains(said, outcome.Detail);
    }
}
