using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// UnixDiagParser on replies laid out as the kernel sends them (include/uapi/linux/unix_diag.h): struct
/// unix_diag_msg (family, type, state, pad, inode, cookie[2]) and the attributes udiag_show asked for.
/// </summary>
public sealed class UnixDiagParserTests
{
    private const byte Stream = 1;
    private const byte Datagram = 2;
    private const byte SeqPacket = 5;

    /// <summary>The 16 bytes of struct unix_diag_msg.</summary>
    internal static byte[] UnixMessage(byte type, byte state, uint inode, ulong cookie = 0, byte family = 1)
    {
        var b = new byte[16];
        b[0] = family;
        b[1] = type;
        b[2] = state;
        NetlinkFixtureBuilder.PutU32(b, 4, inode);
        NetlinkFixtureBuilder.PutU32(b, 8, (uint)cookie);
        NetlinkFixtureBuilder.PutU32(b, 12, (uint)(cookie >> 32));
        return b;
    }

    internal static byte[] Name(string name) => NetlinkFixtureBuilder.Attribute(UnixDiag.UNIX_DIAG_NAME, Encoding.UTF8.GetBytes(name));

    internal static byte[] U32Attribute(ushort type, params uint[] values)
    {
        var data = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            NetlinkFixtureBuilder.PutU32(data, 4 * i, values[i]);
        }

        return NetlinkFixtureBuilder.Attribute(type, data);
    }

    private static byte[] Payload(byte[] message, params byte[][] attributes) => message.Concat(attributes.SelectMany(a => a)).ToArray();

    private static List<SocketRecord> Parse(byte[] reply, SocketQuery? query = null)
    {
        var rows = new List<SocketRecord>();
        Assert.True(UnixDiagParser.Parse(reply, reply.Length, query, rows));
        return rows;
    }

    [Fact]
    public void ReadsEveryFieldOfAListenerWithItsAttributes()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(
                UnixMessage(Stream, KernelStates.Listen, 4242, cookie: 0x0000_0001_0000_0002),
                Name("/run/docker.sock\0"),
                U32Attribute(UnixDiag.UNIX_DIAG_VFS, 77, 0x803),
                U32Attribute(UnixDiag.UNIX_DIAG_PEER, 0),
                U32Attribute(UnixDiag.UNIX_DIAG_RQLEN, 3, 4096),
                U32Attribute(UnixDiag.UNIX_DIAG_UID, 1000)))
            .Done().Build();

        SocketRecord row = Assert.Single(Parse(reply));

        Assert.Equal(SocketProtocol.Unix, row.Protocol);
        Assert.Equal(SocketState.Listen, row.State);
        Assert.Equal(4242UL, row.Inode);
        Assert.Equal(0x0000_0001_0000_0002UL, row.Cookie);
        Assert.Equal("/run/docker.sock", row.Unix!.Path); // the terminating NUL is not part of the name
        Assert.Equal(UnixSocketType.Stream, row.Unix.Type);
        Assert.Equal(0UL, row.Unix.PeerInode);
        Assert.Equal(3u, row.ReceiveQueue);   // connections waiting for accept()
        Assert.Equal(4096u, row.SendQueue);   // the backlog
        Assert.Equal(1000u, row.Uid);
        Assert.Equal(UnseenFields.Timer | UnseenFields.Retransmits, row.Unseen);
        Assert.Null(row.Memory);
    }

    [Fact]
    public void MapsTheThreeStatesAndTheThreeKinds()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Established, 1), U32Attribute(UnixDiag.UNIX_DIAG_PEER, 2)))
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Datagram, KernelStates.Close, 3)))
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(SeqPacket, KernelStates.Listen, 4)))
            .Done().Build();

        List<SocketRecord> rows = Parse(reply);

        Assert.Equal(new[] { SocketState.Established, SocketState.Unconnected, SocketState.Listen }, rows.Select(r => r.State));
        Assert.Equal(new[] { UnixSocketType.Stream, UnixSocketType.Datagram, UnixSocketType.SeqPacket }, rows.Select(r => r.Unix!.Type));
        Assert.Equal(2UL, rows[0].Unix!.PeerInode);
        Assert.All(rows, r => Assert.Null(r.Unix!.Path)); // no name attribute: unnamed
    }

    [Fact]
    public void WritesAbstractNamesAsSsDoesWithEveryNulAsAt()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Listen, 1), Name("\0journal\0x")))
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Datagram, KernelStates.Close, 2), Name("\u00001f2e3"))) // autobind: 5 hex digits
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Close, 3), Name(string.Empty)))
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Listen, 4), Name("/tmp/a b/ü.sock")))
            .Done().Build();

        Assert.Equal(new[] { "@journal@x", "@1f2e3", null, "/tmp/a b/ü.sock" }, Parse(reply).Select(r => r.Unix!.Path));
    }

    [Fact]
    public void LeavesQueuesAndUidUnseenWhenAnOldKernelDoesNotSendThem()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Established, 9), Name("/x")))
            .Done().Build();

        SocketRecord row = Assert.Single(Parse(reply));

        Assert.True((row.Unseen & UnseenFields.Queues) != 0);
        Assert.True((row.Unseen & UnseenFields.UserId) != 0);
    }

    [Fact]
    public void ReadsTheMemoryAttributeWhenAskedFor()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Datagram, KernelStates.Close, 9),
                U32Attribute(UnixDiag.UNIX_DIAG_MEMINFO, 768, 212992, 0, 212992, 0, 0, 0, 0, 17)))
            .Done().Build();

        SocketMemory memory = Assert.Single(Parse(reply)).Memory!;

        Assert.Equal(768, memory.ReceiveBufferUsed);
        Assert.Equal(212992, memory.ReceiveBufferLimit);
        Assert.Equal(212992, memory.SendBufferLimit);
        Assert.Equal(17, memory.Drops);
    }

    [Fact]
    public void FiltersRowsWithTheQuery()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Listen, 1), Name("/run/a.sock")))
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Listen, 2), Name("/run/b.sock")))
            .Done().Build();
        var query = new SocketQuery { IncludeUnix = true, PathMatch = p => p.EndsWith("b.sock", StringComparison.Ordinal) };

        Assert.Equal(2UL, Assert.Single(Parse(reply, query)).Inode);
    }

    [Theory]
    [InlineData((byte)10, (byte)1, (byte)1, "address family 10")]
    [InlineData((byte)1, (byte)3, (byte)1, "socket type 3")]
    [InlineData((byte)1, (byte)1, (byte)0, "unknown state 0")]
    [InlineData((byte)1, (byte)1, (byte)99, "unknown state 99")]
    public void RefusesMessagesNoUnixSocketCanSend(byte family, byte type, byte state, string expected)
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, UnixMessage(type, state, 1, family: family))
            .Done().Build();

        var e = Assert.Throws<SocketTableFormatException>(() => Parse(reply));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RefusesATruncatedMessageAndAMalformedAttribute()
    {
        byte[] shortMessage = NetlinkFixtureBuilder.Create().Message(NetlinkFixtureBuilder.SockDiagByFamily, new byte[12]).Build();
        Assert.Contains("Truncated unix_diag_msg", Assert.Throws<SocketTableFormatException>(() => Parse(shortMessage)).Message);

        byte[] badAttribute = NetlinkFixtureBuilder.Create()
            .Message(NetlinkFixtureBuilder.SockDiagByFamily, Payload(UnixMessage(Stream, KernelStates.Listen, 1), NetlinkFixtureBuilder.Attribute(0, new byte[4], lengthOverride: 200)))
            .Build();
        Assert.Contains("Malformed attribute", Assert.Throws<SocketTableFormatException>(() => Parse(badAttribute)).Message);
    }

    [Fact]
    public void AFailedDumpIsAnErrorNotAnEmptyTable()
    {
        byte[] reply = NetlinkFixtureBuilder.Create().Done(-2).Build(); // -ENOENT: no unix_diag in this kernel

        Assert.Throws<NetlinkErrorException>(() => Parse(reply));
    }

    [Fact]
    public void RequestAsksForNameVfsPeerQueuesAndUidInTheStatesGiven()
    {
        byte[] request = UnixDiagRequest.Dump(KernelStates.Bit(KernelStates.Listen), 7, UnixDiag.ShowAlways);

        Assert.Equal(16 + 24, request.Length);
        Assert.Equal(40u, NetlinkFixtureBuilder.GetU32(request, 0));
        Assert.Equal(20, NetlinkFixtureBuilder.GetU16(request, 4));      // SOCK_DIAG_BY_FAMILY
        Assert.Equal(0x301, NetlinkFixtureBuilder.GetU16(request, 6));   // NLM_F_REQUEST | NLM_F_DUMP
        Assert.Equal(7u, NetlinkFixtureBuilder.GetU32(request, 8));
        Assert.Equal(1, request[16]);                                    // AF_UNIX
        Assert.Equal(1u << 10, NetlinkFixtureBuilder.GetU32(request, 20)); // udiag_states
        Assert.Equal(0u, NetlinkFixtureBuilder.GetU32(request, 24));       // udiag_ino: every socket
        Assert.Equal(0x01u | 0x02 | 0x04 | 0x10 | 0x40, NetlinkFixtureBuilder.GetU32(request, 28));
    }
}
