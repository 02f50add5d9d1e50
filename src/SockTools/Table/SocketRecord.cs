namespace SockTools.Table
{
    /// <summary>
    /// One row of the socket table as a reader found it, before owners are resolved, in words every OS
    /// reader can fill (each maps its own state and timer numbers). A mutable struct so readers fill rows
    /// in place without allocating per socket. A UNIX domain socket leaves the address and port fields
    /// empty and carries <see cref="Unix"/> instead.
    /// </summary>
    internal struct SocketRecord
    {
        // The three enums are long-based for ConvertTo-Json, but a row holds each in a byte: at 500,000 rows the
        // 21 bytes saved per row are 10 MB of the table that waits for its owners.
        private byte _protocol;
        private byte _state;
        private byte _timer;

        internal SocketProtocol Protocol
        {
            readonly get => (SocketProtocol)_protocol;
            set => _protocol = (byte)value;
        }

        internal SocketState State
        {
            readonly get => (SocketState)_state;
            set => _state = (byte)value;
        }

        internal AddressValue LocalAddress;
        internal ushort LocalPort;
        internal AddressValue RemoteAddress;
        internal ushort RemotePort;

        internal uint ReceiveQueue;

        /// <summary>Null where the reader cannot know it (the listen backlog under /proc).</summary>
        internal uint? SendQueue;

        /// <summary>
        /// What this reader's OS never reports at all (Windows: queues, timers, retransmits, uids), so those
        /// properties are null on every entry instead of a made-up 0. None for the Linux readers.
        /// </summary>
        internal UnseenFields Unseen;

        /// <summary>The owning process when the table itself names it (Windows); 0 when unknown or found later.</summary>
        internal int ProcessId;

        /// <summary>
        /// The opaque handle by which the owners' file tables name this socket (macOS: xso_so, which
        /// proc_pidfdinfo reports as soi_so); 0 when the reader has none or the socket has no file.
        /// </summary>
        internal ulong SocketHandle;

        internal uint Uid;
        internal ulong Inode;

        internal SocketTimer Timer
        {
            readonly get => (SocketTimer)_timer;
            set => _timer = (byte)value;
        }

        internal uint TimerExpiresMs;
        internal uint Retransmits;

        /// <summary>Device the socket is bound to (SO_BINDTODEVICE); 0 when none or unknown.</summary>
        internal uint InterfaceIndex;

        /// <summary>The kernel's socket cookie; 0 when the reader cannot see it (/proc).</summary>
        internal ulong Cookie;

        /// <summary>
        /// IPV6_V6ONLY of an IPv6 listener or bound socket: true when it takes IPv6 only, false when a socket
        /// bound to :: takes IPv4 too; null for other sockets and where the reader cannot see it (/proc).
        /// </summary>
        internal bool? V6Only;

        /// <summary>TCP internals, when the query asked for them and the reader could see them; else null.</summary>
        internal TcpDetails? Tcp;

        // The namespace as its number in NamespaceTag's table (0: none): four bytes that fit the row's padding, where a
        // reference would add eight to every row of every read.
        private int _namespace;

        /// <summary>The network namespace the row was read in, when the user named namespaces; null for PowerShell's own.</summary>
        internal NamespaceTag? Namespace
        {
            readonly get => NamespaceTag.At(_namespace);
            set => _namespace = value?.Number ?? 0;
        }

        /// <summary>That namespace's number (<see cref="NamespaceTag.Number"/>); 0 for PowerShell's own.</summary>
        internal readonly int NamespaceNumber => _namespace;
        /// <summary>Memory accounting (sk_meminfo), when the query asked for it and the reader could see it; else null.</summary>
        internal SocketMemory? Memory;

        /// <summary>Name, kind and peer of a UNIX domain socket; null for TCP and UDP, whose addresses and ports say who they are.</summary>
        internal UnixSocketDetails? Unix;

        internal readonly bool IsV6 => LocalAddress.IsV6;

        /// <summary>
        /// What tells apart sockets that share a 4-tuple (SO_REUSEPORT listeners, several UDP sockets on one port):
        /// the inode on Linux, the socket handle on macOS, the owning process on Windows; 0 when none.
        /// </summary>
        internal readonly long Identity => Inode != 0 ? (long)Inode : SocketHandle != 0 ? unchecked((long)SocketHandle) : ProcessId;
    }
}
