namespace SockTools.Table.Linux
{
    /// <summary>
    /// Sizes, offsets and constants of the netlink sock_diag wire format
    /// (include/uapi/linux/netlink.h, sock_diag.h, inet_diag.h). Values are in host byte order
    /// except ports and addresses, which the kernel sends in network order.
    /// </summary>
    internal static class InetDiag
    {
        // struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid
        internal const int NlmsgHeaderLength = 16;
        internal const ushort NLMSG_ERROR = 2;
        internal const ushort NLMSG_DONE = 3;
        internal const ushort SOCK_DIAG_BY_FAMILY = 20;

        /// <summary>
        /// The first inet_diag request type (TCPDIAG_GETSOCK), still served: its dump walks the TCP tables once for
        /// both families (the kernel reads it as AF_UNSPEC), where SOCK_DIAG_BY_FAMILY walks them once per family.
        /// </summary>
        internal const ushort TCPDIAG_GETSOCK = 18;

        /// <summary>Destroy the one socket a request's id names (what ss -K sends); needs CAP_NET_ADMIN.</summary>
        internal const ushort SOCK_DESTROY = 21;
        internal const ushort NLM_F_REQUEST = 0x1;

        /// <summary>Answer with NLMSG_ERROR even on success (error 0), so a request is confirmed, not assumed.</summary>
        internal const ushort NLM_F_ACK = 0x4;
        internal const ushort NLM_F_DUMP = 0x300;

        // struct inet_diag_sockid: be16 sport, be16 dport, be32 src[4], be32 dst[4], u32 if, u32 cookie[2]
        internal const int SockIdLength = 48;

        /// <summary>idiag_cookie of a request that does not know the cookie: both halves all ones (INET_DIAG_NOCOOKIE).</summary>
        internal const uint NoCookie = 0xFFFFFFFF;

        // struct inet_diag_req_v2: u8 family, u8 protocol, u8 ext, u8 pad, u32 states, sockid
        internal const int RequestLength = 8 + SockIdLength;

        // struct inet_diag_req (TCPDIAG_GETSOCK): u8 family, src_len, dst_len, ext; sockid; u32 states, dbs
        internal const int TcpRequestLength = 4 + SockIdLength + 8;

        // struct inet_diag_msg: u8 family, state, timer, retrans; sockid; u32 expires, rqueue, wqueue, uid, inode
        internal const int MessageLength = 4 + SockIdLength + 20;

        internal const byte AF_INET = 2;
        internal const byte AF_INET6 = 10;
        internal const byte IPPROTO_TCP = 6;
        internal const byte IPPROTO_UDP = 17;

        // Attribute types after inet_diag_msg (enum in inet_diag.h).
        internal const ushort INET_DIAG_INFO = 2;
        internal const ushort INET_DIAG_CONG = 4;
        internal const ushort INET_DIAG_SKMEMINFO = 7;
        internal const ushort INET_DIAG_PROTOCOL = 10;

        /// <summary>u8: IPV6_V6ONLY of an IPv6 socket; sent unasked for sockets in LISTEN or CLOSE.</summary>
        internal const ushort INET_DIAG_SKV6ONLY = 11;

        /// <summary>idiag_ext bits asking for tcp_info and the congestion control name (bit n-1 for attribute n).</summary>
        internal const byte TcpInfoExtensions = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1));

        /// <summary>The idiag_ext bit asking for the socket's memory accounting (struct sk_meminfo, what ss -m prints).</summary>
        internal const byte MemoryInfoExtension = 1 << (INET_DIAG_SKMEMINFO - 1);

        internal static int Align(int length) => (length + 3) & ~3;
    }
}
