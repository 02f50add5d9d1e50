namespace SockTools.Table
{
    /// <summary>
    /// One row of the kernel's socket table as a reader found it, before owners are resolved.
    /// A mutable struct so readers fill rows in place without allocating per socket.
    /// </summary>
    internal struct SocketRecord
    {
        internal SocketProtocol Protocol;

        /// <summary>The kernel's TCP state number (include/net/tcp_states.h); UDP uses 1 and 7 too.</summary>
        internal byte KernelState;

        internal AddressValue LocalAddress;
        internal ushort LocalPort;
        internal AddressValue RemoteAddress;
        internal ushort RemotePort;

        internal uint ReceiveQueue;

        /// <summary>Null where the reader cannot know it (the listen backlog under /proc).</summary>
        internal uint? SendQueue;

        internal uint Uid;
        internal ulong Inode;

        /// <summary>idiag_timer / /proc "tr": 0 none, 1 retransmit, 2 keep-alive, 3 TIME_WAIT, 4 zero-window probe.</summary>
        internal byte TimerCode;
        internal uint TimerExpiresMs;
        internal uint Retransmits;

        /// <summary>Device the socket is bound to (SO_BINDTODEVICE); 0 when none or unknown.</summary>
        internal uint InterfaceIndex;

        /// <summary>The kernel's socket cookie; 0 when the reader cannot see it (/proc).</summary>
        internal ulong Cookie;

        /// <summary>TCP internals, when the query asked for them and the reader could see them; else null.</summary>
        internal TcpDetails? Tcp;

        internal bool IsV6 => LocalAddress.IsV6;
    }
}
