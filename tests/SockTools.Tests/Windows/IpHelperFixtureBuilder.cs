using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;

namespace SockTools.Tests.Windows;

/// <summary>One row of an IP Helper table as a test wants it; every field is spelled out.</summary>
internal sealed record MibRow
{
    public uint State { get; init; } = 5; // MIB_TCP_STATE_ESTAB
    public IPAddress LocalAddress { get; init; } = IPAddress.Loopback;
    public uint LocalScopeId { get; init; }
    public ushort LocalPort { get; init; }
    public IPAddress RemoteAddress { get; init; } = IPAddress.Any;
    public uint RemoteScopeId { get; init; }
    public ushort RemotePort { get; init; }
    public uint OwningPid { get; init; }

    /// <summary>What Windows may leave in the upper 16 bits of a port DWORD ("may contain uninitialized data").</summary>
    public ushort PortGarbage { get; init; }
}

/// <summary>
/// Writes the tables GetExtendedTcpTable and GetExtendedUdpTable return, from the Windows SDK's definitions
/// (tcpmib.h, udpmib.h), with offsets written out here by hand so they check the module's own:
/// DWORD dwNumEntries, then rows of DWORDs and UCHAR[16] addresses (4-byte aligned, so the first row is at 4).
/// DWORDs are little-endian (every Windows ABI); addresses and ports are in network order, a port in the first
/// two bytes of its DWORD.
/// </summary>
internal static class IpHelperFixtureBuilder
{
    // MIB_TCPROW_OWNER_PID: dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid.
    internal const int Tcp4RowSize = 24;

    // MIB_TCP6ROW_OWNER_PID: ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId, dwRemotePort, dwState, dwOwningPid.
    internal const int Tcp6RowSize = 56;

    // MIB_UDPROW_OWNER_PID: dwLocalAddr, dwLocalPort, dwOwningPid.
    internal const int Udp4RowSize = 12;

    // MIB_UDP6ROW_OWNER_PID: ucLocalAddr[16], dwLocalScopeId, dwLocalPort, dwOwningPid.
    internal const int Udp6RowSize = 28;

    internal static byte[] Tcp4(params MibRow[] rows) => Table(rows, Tcp4RowSize, Tcp4Row);

    internal static byte[] Tcp6(params MibRow[] rows) => Table(rows, Tcp6RowSize, Tcp6Row);

    internal static byte[] Udp4(params MibRow[] rows) => Table(rows, Udp4RowSize, Udp4Row);

    internal static byte[] Udp6(params MibRow[] rows) => Table(rows, Udp6RowSize, Udp6Row);

    /// <summary>A table with a count that says something else than the rows that follow (truncation, hostility).</summary>
    internal static byte[] WithCount(byte[] table, uint count)
    {
        byte[] copy = (byte[])table.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy, count);
        return copy;
    }

    /// <summary>The table followed by <paramref name="slack"/> bytes of 0xEE: the unused end of a buffer bigger than the table.</summary>
    internal static byte[] WithSlack(byte[] table, int slack)
    {
        var bytes = new List<byte>(table);
        for (int i = 0; i < slack; i++)
        {
            bytes.Add(0xEE);
        }

        return bytes.ToArray();
    }

    private static byte[] Table(MibRow[] rows, int rowSize, Action<byte[], int, MibRow> write)
    {
        var b = new byte[4 + (rows.Length * rowSize)];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            write(b, 4 + (i * rowSize), rows[i]);
        }

        return b;
    }

    private static void Tcp4Row(byte[] b, int at, MibRow r)
    {
        Dword(b, at + 0, r.State);
        Address(b, at + 4, r.LocalAddress, 4);
        Port(b, at + 8, r.LocalPort, r.PortGarbage);
        Address(b, at + 12, r.RemoteAddress, 4);
        Port(b, at + 16, r.RemotePort, r.PortGarbage);
        Dword(b, at + 20, r.OwningPid);
    }

    private static void Tcp6Row(byte[] b, int at, MibRow r)
    {
        Address(b, at + 0, r.LocalAddress, 16);
        Dword(b, at + 16, r.LocalScopeId);
        Port(b, at + 20, r.LocalPort, r.PortGarbage);
        Address(b, at + 24, r.RemoteAddress, 16);
        Dword(b, at + 40, r.RemoteScopeId);
        Port(b, at + 44, r.RemotePort, r.PortGarbage);
        Dword(b, at + 48, r.State);
        Dword(b, at + 52, r.OwningPid);
    }

    private static void Udp4Row(byte[] b, int at, MibRow r)
    {
        Address(b, at + 0, r.LocalAddress, 4);
        Port(b, at + 4, r.LocalPort, r.PortGarbage);
        Dword(b, at + 8, r.OwningPid);
    }

    private static void Udp6Row(byte[] b, int at, MibRow r)
    {
        Address(b, at + 0, r.LocalAddress, 16);
        Dword(b, at + 16, r.LocalScopeId);
        Port(b, at + 20, r.LocalPort, r.PortGarbage);
        Dword(b, at + 24, r.OwningPid);
    }

    private static void Dword(byte[] b, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value);

    /// <summary>Network order in the first two bytes; the last two are whatever Windows left there.</summary>
    private static void Port(byte[] b, int at, ushort port, ushort garbage)
    {
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), port);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 2), garbage);
    }

    private static void Address(byte[] b, int at, IPAddress address, int size)
    {
        // The defaults (127.0.0.1, 0.0.0.0) stand for their IPv6 twins in the IPv6 tables.
        if (size == 16 && address.Equals(IPAddress.Loopback))
        {
            address = IPAddress.IPv6Loopback;
        }
        else if (size == 16 && address.Equals(IPAddress.Any))
        {
            address = IPAddress.IPv6Any;
        }

        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length != size)
        {
            throw new ArgumentException($"A {size}-byte address is needed here, not {address}.", nameof(address));
        }

        bytes.CopyTo(b, at);
    }
}
