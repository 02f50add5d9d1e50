using System.Runtime.InteropServices;

namespace SockTools.Interop.MacOS
{
    // The records sysctl net.inet.tcp.pcblist_n and net.inet.udp.pcblist_n write, as xnu declares them under
    // "#pragma pack(4)" (bsd/netinet/in_pcb.h, bsd/sys/socketvar.h, bsd/netinet/tcp_var.h): 64-bit fields
    // sit on 4-byte boundaries, hence Pack = 4. Each record starts with its own length and kind, and the kernel
    // places each one on an 8-byte boundary (ROUNDUP64 in bsd/netinet/in_pcblist.c). Newer kernels append fields
    // at the end (xsocket_n grew from 76 to 104 bytes): readers walk by the length each record states and read
    // only the fields below. Table/MacOS reads them from bytes at these offsets (PcbListLayout); tests check
    // every size and offset against the documented ones.

    /// <summary>struct xinpgen: the header before the records and the trailer after them (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct XinpGen
    {
        internal uint Length;          // xig_len
        internal uint Count;           // xig_count: PCBs when the list was taken
        internal ulong Generation;     // xig_gen: differs between header and trailer when the list changed meanwhile
        internal ulong SocketGeneration; // xig_sogen
    }

    /// <summary>The two fields every record starts with (netstat calls them struct xgen_n).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct XRecordHead
    {
        internal uint Length;
        internal uint Kind;            // XSO_SOCKET, XSO_RCVBUF, XSO_SNDBUF, XSO_STATS, XSO_INPCB, XSO_TCPCB
    }

    /// <summary>struct xinpcb_n (104 bytes; 100 before xnu added inp_flags2).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal unsafe struct XinpcbN
    {
        internal uint Length;          // xi_len
        internal uint Kind;            // xi_kind: XSO_INPCB
        internal ulong InpcbHandle;    // xi_inpp
        internal ushort ForeignPort;   // inp_fport, network byte order
        internal ushort LocalPort;     // inp_lport, network byte order
        internal ulong ProtocolPcb;    // inp_ppcb
        internal ulong Generation;     // inp_gencnt
        internal int Flags;            // inp_flags
        internal uint Flow;            // inp_flow
        internal byte VersionFlags;    // inp_vflag: INP_IPV4 0x1, INP_IPV6 0x2
        internal byte Ttl;             // inp_ip_ttl
        internal byte IpProtocol;      // inp_ip_p
        // The address unions hold 32-bit words (in_addr_4in6, in6_addr), so they start on 4 bytes: declared as
        // four words here, read as 16 bytes in network order. IPv4 sits in the last 4 bytes (ia46_addr4).
        internal fixed uint ForeignAddress[4]; // inp_dependfaddr
        internal fixed uint LocalAddress[4];   // inp_dependladdr
        internal byte Ipv4Tos;         // inp_depend4.inp4_ip_tos
        internal XinpcbDepend6 Ipv6;   // inp_depend6: a struct holding an int, so it starts on 4 bytes
        internal uint FlowHash;        // inp_flowhash
        internal uint Flags2;          // inp_flags2
    }

    /// <summary>The inp_depend6 member of struct xinpcb_n (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct XinpcbDepend6
    {
        internal byte HopLimit;        // inp6_hlim
        internal int Checksum;         // inp6_cksum
        internal ushort InterfaceIndex; // inp6_ifindex (xnu writes 0 here)
        internal short Hops;           // inp6_hops
    }

    /// <summary>struct xsocket_n (104 bytes; 76 before xnu-10002 added so_gencnt and what follows).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct XsocketN
    {
        internal uint Length;          // xso_len
        internal uint Kind;            // xso_kind: XSO_SOCKET
        internal ulong SocketHandle;   // xso_so: the socket's opaque handle, as proc_pidfdinfo's soi_so names it
        internal short Type;           // so_type
        internal uint Options;         // so_options
        internal short Linger;         // so_linger
        internal short State;          // so_state: SS_NOFDREF 0x1 when no file refers to the socket any more
        internal ulong Pcb;            // so_pcb
        internal int Protocol;         // xso_protocol
        internal int Family;           // xso_family
        internal short QueueLength;    // so_qlen: connections waiting for accept()
        internal short IncompleteQueueLength; // so_incqlen
        internal short QueueLimit;     // so_qlimit: the listen backlog
        internal short Timeout;        // so_timeo
        internal ushort Error;         // so_error
        internal int ProcessGroup;     // so_pgid
        internal uint OobMark;         // so_oobmark
        internal uint Uid;             // so_uid
        internal int LastPid;          // so_last_pid
        internal int EffectivePid;     // so_e_pid
        internal ulong Generation;     // so_gencnt
        internal uint SocketFlags;     // so_flags
        internal uint SocketFlags1;    // so_flags1
        internal int UseCount;         // so_usecount
        internal int RetainCount;      // so_retaincnt
        internal uint FilterFlags;     // xso_filter_flags
    }

    /// <summary>struct xsockbuf_n: one of the socket's two buffers (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct XsockbufN
    {
        internal uint Length;          // xsb_len
        internal uint Kind;            // xsb_kind: XSO_RCVBUF or XSO_SNDBUF
        internal uint ByteCount;       // sb_cc: bytes in the buffer
        internal uint HighWater;       // sb_hiwat
        internal uint MbufCount;       // sb_mbcnt
        internal uint MbufMax;         // sb_mbmax
        internal int LowWater;         // sb_lowat
        internal short Flags;          // sb_flags
        internal short Timeout;        // sb_timeo
    }

    /// <summary>struct xtcpcb_n (204 bytes): the TCP part of a record set; only t_state and t_rxtshift are read.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal unsafe struct XtcpcbN
    {
        internal uint Length;          // xt_len
        internal uint Kind;            // xt_kind: XSO_TCPCB
        internal ulong SegmentQueue;   // t_segq
        internal int DupAcks;          // t_dupacks
        internal fixed int Timers[4];  // t_timer[TCPT_NTIMERS_EXT]
        internal int State;            // t_state: TCPS_* of bsd/netinet/tcp_fsm.h
        internal uint Flags;           // t_flags
        internal int Force;            // t_force
        internal fixed uint Sequence1[8];  // snd_una, snd_max, snd_nxt, snd_up, snd_wl1, snd_wl2, iss, irs
        internal fixed uint Sequence2[4];  // rcv_nxt, rcv_adv, rcv_wnd, rcv_up
        internal fixed uint Window[4];     // snd_wnd, snd_cwnd, snd_ssthresh, t_maxopd
        internal fixed uint Timing[4];     // t_rcvtime, t_starttime, t_rtttime, t_rtseq
        internal fixed int RoundTrip[4];   // t_rxtcur, t_maxseg, t_srtt, t_rttvar
        internal int RetransmitShift;  // t_rxtshift: retransmissions of the current segment so far
        internal uint RttMin;          // t_rttmin
        internal uint RttUpdated;      // t_rttupdated
        internal uint MaxSendWindow;   // max_sndwnd
        internal int SoftError;        // t_softerror
        internal fixed byte Scaling[6];    // t_oobflags, t_iobc, snd_scale, rcv_scale, request_r_scale, requested_s_scale
        internal uint TimestampRecent; // ts_recent (on 4 bytes after the six chars)
        internal fixed uint Tail[7];   // ts_recent_age, last_ack_sent, cc_send, cc_recv, snd_recover, snd_cwnd_prev, snd_ssthresh_prev
    }
}
