using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Tests;

/// <summary>
/// One inet_diag_msg as a test wants it on the wire. Every field is spelled out so a test can
/// check that the parser puts each one where it belongs.
/// </summary>
internal sealed record DiagRow
{
    public byte Family { get; init; } = 2; // AF_INET
    public byte State { get; init; } = 1;  // TCP_ESTABLISHED
    public byte Timer { get; init; }
    public byte Retransmits { get; init; }
    public ushort LocalPort { get; init; }
    public ushort RemotePort { get; init; }
    public IPAddress LocalAddress { get; init; } = IPAddress.Loopback;
    public IPAddress RemoteAddress { get; init; } = IPAddress.Any;
    public uint InterfaceIndex { get; init; }
    public ulong Cookie { get; init; }
    public uint Expires { get; init; }
    public uint ReceiveQueue { get; init; }
    public uint SendQueue { get; init; }
    public uint Uid { get; init; }
    public uint Inode { get; init; }
}

/// <summary>
/// Writes netlink replies the way the kernel lays them out (include/uapi/linux/netlink.h,
/// inet_diag.h): struct nlmsghdr, then the payload, each message padded to 4 bytes.
/// Host-order fields are written in host order, ports and addresses in network order.
/// Knobs such as <see cref="Message(ushort, byte[], int?)"/>'s length override make broken replies.
/// </summary>
internal sealed class NetlinkFixtureBuilder
{
    internal const ushort SockDiagByFamily = 20;
    internal const ushort NlmsgError = 2;
    internal const ushort NlmsgDone = 3;
    internal const ushort NlmsgNoop = 1;
    internal const ushort NlmFMulti = 0x2;

    // rtattr types of include/uapi/linux/inet_diag.h that a plain dump carries.
    internal const ushort InetDiagShutdown = 8;
    internal const ushort InetDiagCgroupId = 21;

    private readonly List<byte> _bytes = new();
    private uint _sequence = 7;

    internal static NetlinkFixtureBuilder Create() => new();

    /// <summary>Total bytes so far.</summary>
    internal int Length => _bytes.Count;

    /// <summary>Any message: header with nlmsg_len = 16 + payload (or <paramref name="lengthOverride"/>), payload, padding.</summary>
    internal NetlinkFixtureBuilder Message(ushort type, byte[] payload, int? lengthOverride = null, ushort flags = NlmFMulti)
    {
        var header = new byte[16];
        PutU32(header, 0, (uint)(lengthOverride ?? (16 + payload.Length)));
        PutU16(header, 4, type);
        PutU16(header, 6, flags);
        PutU32(header, 8, _sequence);
        PutU32(header, 12, 4242); // nlmsg_pid: the kernel echoes the requester's port id
        _bytes.AddRange(header);
        _bytes.AddRange(payload);
        Pad();
        return this;
    }

    /// <summary>A SOCK_DIAG_BY_FAMILY message carrying one socket and optional rtattrs.</summary>
    internal NetlinkFixtureBuilder Socket(DiagRow row, params byte[][] attributes)
    {
        var payload = new List<byte>(DiagMessage(row));
        foreach (byte[] attribute in attributes)
        {
            payload.AddRange(attribute);
        }

        return Message(SockDiagByFamily, payload.ToArray());
    }

    /// <summary>A socket message with the two attributes a real plain dump carries (shutdown, cgroup id).</summary>
    internal NetlinkFixtureBuilder SocketWithUsualAttributes(DiagRow row)
        => Socket(row, Attribute(InetDiagShutdown, new byte[] { 0 }), Attribute(InetDiagCgroupId, new byte[] { 0x2a, 0, 0, 0, 0, 0, 0, 0 }));

    /// <summary>NLMSG_DONE with its int payload (0: the dump ended well).</summary>
    internal NetlinkFixtureBuilder Done(int error = 0)
    {
        var payload = new byte[4];
        PutU32(payload, 0, unchecked((uint)error));
        return Message(NlmsgDone, payload);
    }

    /// <summary>NLMSG_ERROR: struct nlmsgerr { int error; struct nlmsghdr msg; } with the kernel's negative errno.</summary>
    internal NetlinkFixtureBuilder Error(int negativeErrno)
    {
        var payload = new byte[4 + 16];
        PutU32(payload, 0, unchecked((uint)negativeErrno));
        PutU32(payload, 4, 72);                // the request it answers: its header echoed back
        PutU16(payload, 8, SockDiagByFamily);
        PutU16(payload, 10, 0x301);
        PutU32(payload, 12, _sequence);
        return Message(NlmsgError, payload, flags: 0x100 /* NLM_F_CAPPED */);
    }

    /// <summary>Raw bytes appended as they are (for truncated tails and garbage).</summary>
    internal NetlinkFixtureBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    internal byte[] Build() => _bytes.ToArray();

    /// <summary>The 72 bytes of struct inet_diag_msg.</summary>
    internal static byte[] DiagMessage(DiagRow row)
    {
        var b = new byte[72];
        b[0] = row.Family;
        b[1] = row.State;
        b[2] = row.Timer;
        b[3] = row.Retransmits;

        // struct inet_diag_sockid at offset 4
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), row.LocalPort);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), row.RemotePort);
        PutAddress(b, 8, row.LocalAddress);
        PutAddress(b, 24, row.RemoteAddress);
        PutU32(b, 40, row.InterfaceIndex);
        PutU32(b, 44, (uint)row.Cookie);           // idiag_cookie[0]: low half
        PutU32(b, 48, (uint)(row.Cookie >> 32));   // idiag_cookie[1]: high half

        PutU32(b, 52, row.Expires);
        PutU32(b, 56, row.ReceiveQueue);
        PutU32(b, 60, row.SendQueue);
        PutU32(b, 64, row.Uid);
        PutU32(b, 68, row.Inode);
        return b;
    }

    /// <summary>struct rtattr { u16 len; u16 type; } + data, padded to 4 (len excludes the padding).</summary>
    internal static byte[] Attribute(ushort type, byte[] data, int? lengthOverride = null)
    {
        int length = 4 + data.Length;
        var b = new byte[(length + 3) & ~3];
        PutU16(b, 0, (ushort)(lengthOverride ?? length));
        PutU16(b, 2, type);
        data.CopyTo(b, 4);
        return b;
    }

    internal static void PutU32(byte[] b, int offset, uint value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(offset), value);
        }
    }

    internal static void PutU16(byte[] b, int offset, ushort value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(offset), value);
        }
    }

    internal static uint GetU32(byte[] b, int offset) => BitConverter.IsLittleEndian
        ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset))
        : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset));

    internal static ushort GetU16(byte[] b, int offset) => BitConverter.IsLittleEndian
        ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset))
        : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(offset));

    /// <summary>The kernel puts an IPv4 address in the first 4 bytes of the 16-byte slot.</summary>
    private static void PutAddress(byte[] b, int offset, IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        if (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("IPv4 or IPv6 only.", nameof(address));
        }

        bytes.CopyTo(b, offset);
    }

    private void Pad()
    {
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }
    }
}
