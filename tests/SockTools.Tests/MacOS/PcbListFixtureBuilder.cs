using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Tests.MacOS;

/// <summary>One socket of a pcblist_n answer as a test wants it; every field the reader uses is spelled out.</summary>
internal sealed record PcbSocket
{
    public bool IsTcp { get; init; } = true;

    /// <summary>inp_vflag; null: INP_IPV6 for IPv6 addresses, INP_IPV4 for IPv4 ones.</summary>
    public byte? VersionFlags { get; init; }

    public IPAddress LocalAddress { get; init; } = IPAddress.Loopback;
    public ushort LocalPort { get; init; }
    public IPAddress RemoteAddress { get; init; } = IPAddress.Any;
    public ushort RemotePort { get; init; }

    /// <summary>The interface xnu embeds in bytes 2-3 of a link-local IPv6 address (local and remote alike).</summary>
    public ushort EmbeddedScope { get; init; }

    public ulong Handle { get; init; } = 0x5eed_0000_0000_0001;
    public ushort SocketState { get; init; } = 0x0002; // SS_ISCONNECTED
    public uint Uid { get; init; } = 501;
    public int LastPid { get; init; }
    public short QueueLength { get; init; }
    public short QueueLimit { get; init; }
    public uint ReceiveBytes { get; init; }
    public uint SendBytes { get; init; }
    public int TcpState { get; init; } = 4; // TCPS_ESTABLISHED
    public int RetransmitShift { get; init; }
}

/// <summary>
/// Writes what sysctl net.inet.{tcp,udp}.pcblist_n returns, from xnu's declarations (bsd/netinet/in_pcb.h,
/// bsd/sys/socketvar.h, bsd/netinet/tcp_var.h, all under #pragma pack(4)) and get_pcblist_n's order
/// (bsd/netinet/in_pcblist.c): struct xinpgen; per socket xinpcb_n, xsocket_n, receive and send xsockbuf_n,
/// xsockstat_n and for TCP xtcpcb_n, each at an 8-byte boundary; a closing xinpgen. Offsets are written out
/// here by hand, so they check the module's own. Fields are little-endian (Intel and Apple silicon), ports
/// and addresses in network order.
/// </summary>
internal sealed class PcbListFixtureBuilder
{
    internal const uint XsoSocket = 0x001, XsoRcvbuf = 0x002, XsoSndbuf = 0x004, XsoStats = 0x008, XsoInpcb = 0x010, XsoTcpcb = 0x020;

    internal const int XinpgenSize = 24;
    internal const int XinpcbSize = 104;     // 100 before inp_flags2
    internal const int XsocketSize = 104;    // 76 before so_gencnt and what follows it
    internal const int XsockbufSize = 32;
    internal const int XsockstatSize = 8 + (4 * 32); // four struct data_stats of four u64
    internal const int XtcpcbSize = 204;

    private readonly List<byte> _bytes = new();
    private readonly ulong _generation;

    private PcbListFixtureBuilder(ulong generation) => _generation = generation;

    internal int Length => _bytes.Count;

    /// <summary>A list that starts with its xinpgen header (xig_gen = <paramref name="generation"/>).</summary>
    internal static PcbListFixtureBuilder Create(uint count = 0, ulong generation = 1000) => new PcbListFixtureBuilder(generation).Gen(count, generation);

    /// <summary>Every record of one socket, in the kernel's order; <paramref name="socketSize"/> and <paramref name="inpcbSize"/> make older kernels' shorter records.</summary>
    internal PcbListFixtureBuilder Socket(PcbSocket s, int inpcbSize = XinpcbSize, int socketSize = XsocketSize)
    {
        Inpcb(s, inpcbSize);
        XSocket(s, socketSize);
        Sockbuf(XsoRcvbuf, s.ReceiveBytes);
        Sockbuf(XsoSndbuf, s.SendBytes);
        Stats();
        if (s.IsTcp)
        {
            Tcpcb(s);
        }

        return this;
    }

    /// <summary>The closing xinpgen; its generation differs from the header's when the list changed meanwhile.</summary>
    internal PcbListFixtureBuilder Trailer(ulong? generation = null) => Gen(0, generation ?? _generation);

    internal PcbListFixtureBuilder Inpcb(PcbSocket s, int size = XinpcbSize)
    {
        byte[] r = Record(XinpcbSize, XsoInpcb);
        bool v6 = s.LocalAddress.AddressFamily == AddressFamily.InterNetworkV6;
        U64(r, 8, 0xAAAA_0000_0000_0001);                 // xi_inpp
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(16), s.RemotePort); // inp_fport
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(18), s.LocalPort);  // inp_lport
        U64(r, 20, 0xBBBB_0000_0000_0001);                // inp_ppcb (4-aligned under pack(4))
        U64(r, 28, 77);                                    // inp_gencnt
        r[44] = s.VersionFlags ?? (byte)(v6 ? 0x2 : 0x1);  // inp_vflag
        r[45] = 64;                                        // inp_ip_ttl
        r[46] = (byte)(s.IsTcp ? 6 : 17);                  // inp_ip_p
        Address(r, 48, s.RemoteAddress, s.EmbeddedScope);  // inp_dependfaddr
        Address(r, 64, s.LocalAddress, s.EmbeddedScope);   // inp_dependladdr
        return Add(Cut(r, size));
    }

    internal PcbListFixtureBuilder XSocket(PcbSocket s, int size = XsocketSize)
    {
        byte[] r = Record(XsocketSize, XsoSocket);
        U64(r, 8, s.Handle);                               // xso_so
        U16(r, 16, (ushort)(s.IsTcp ? 1 : 2));             // so_type: SOCK_STREAM, SOCK_DGRAM
        U16(r, 26, s.SocketState);                         // so_state
        U64(r, 28, 0xCCCC_0000_0000_0001);                 // so_pcb
        U32(r, 36, (uint)(s.IsTcp ? 6 : 17));              // xso_protocol
        U32(r, 40, s.LocalAddress.AddressFamily == AddressFamily.InterNetworkV6 ? 30u : 2u); // xso_family: AF_INET6 is 30 on macOS
        U16(r, 44, (ushort)s.QueueLength);                 // so_qlen
        U16(r, 48, (ushort)s.QueueLimit);                  // so_qlimit
        U32(r, 64, s.Uid);                                 // so_uid
        U32(r, 68, (uint)s.LastPid);                       // so_last_pid
        U32(r, 72, (uint)s.LastPid);                       // so_e_pid
        return Add(Cut(r, size));
    }

    internal PcbListFixtureBuilder Sockbuf(uint kind, uint bytes)
    {
        byte[] r = Record(XsockbufSize, kind);
        U32(r, 8, bytes);                                  // sb_cc
        U32(r, 12, 131072);                                // sb_hiwat
        return Add(r);
    }

    internal PcbListFixtureBuilder Stats() => Add(Record(XsockstatSize, XsoStats));

    internal PcbListFixtureBuilder Tcpcb(PcbSocket s, int size = XtcpcbSize)
    {
        byte[] r = Record(XtcpcbSize, XsoTcpcb);
        U32(r, 20, 1500);                                  // t_timer[TCPT_REXMT_EXT]: not read
        U32(r, 36, (uint)s.TcpState);                      // t_state
        U32(r, 144, (uint)s.RetransmitShift);              // t_rxtshift
        return Add(Cut(r, size));
    }

    /// <summary>A record of any kind and length, its body filled with 0x5A (a kind a newer kernel might add).</summary>
    internal PcbListFixtureBuilder Unknown(uint kind, int length)
    {
        byte[] r = Record(length, kind);
        for (int i = 8; i < r.Length; i++)
        {
            r[i] = 0x5A;
        }

        return Add(r);
    }

    /// <summary>Raw bytes as they are (no padding): hostile lengths and garbage.</summary>
    internal PcbListFixtureBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    internal byte[] Build() => _bytes.ToArray();

    private PcbListFixtureBuilder Gen(uint count, ulong generation)
    {
        var r = new byte[XinpgenSize];
        U32(r, 0, XinpgenSize);                            // xig_len
        U32(r, 4, count);                                  // xig_count
        U64(r, 8, generation);                             // xig_gen
        U64(r, 16, 4242);                                  // xig_sogen
        return Add(r);
    }

    /// <summary>The first <paramref name="size"/> bytes of a record, its length field saying so (an older kernel's shorter record).</summary>
    private static byte[] Cut(byte[] record, int size)
    {
        byte[] cut = new byte[size];
        Array.Copy(record, cut, Math.Min(size, record.Length));
        U32(cut, 0, (uint)size);
        return cut;
    }

    private static byte[] Record(int length, uint kind)
    {
        var r = new byte[length];
        U32(r, 0, (uint)length);
        U32(r, 4, kind);
        return r;
    }

    /// <summary>Appends a record and pads to the next 8-byte boundary (ROUNDUP64), as the kernel places records.</summary>
    private PcbListFixtureBuilder Add(byte[] record)
    {
        _bytes.AddRange(record);
        while (_bytes.Count % 8 != 0)
        {
            _bytes.Add(0);
        }

        return this;
    }

    /// <summary>IPv6 fills the 16 bytes; IPv4 sits in the last 4 (in_addr_4in6: three padding words first).</summary>
    private static void Address(byte[] r, int at, IPAddress address, ushort embeddedScope)
    {
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length == 4)
        {
            bytes.CopyTo(r, at + 12);
            return;
        }

        bytes.CopyTo(r, at);
        bool linkLocal = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
        if (linkLocal && embeddedScope != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(at + 2), embeddedScope);
        }
    }

    private static void U16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);

    private static void U32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);

    private static void U64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
}
