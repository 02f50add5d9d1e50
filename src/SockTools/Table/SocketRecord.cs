namespace SockTools.Table
{
    /// <summary>
    /// One row of the socket table as a reader found it, before owners are resolved, in words every OS
    /// reader can fill (each maps its own state and timer numbers). A mutable struct so readers fill rows
    /// in place without allocating per socket. A UNIX domain socket leaves the address and port fields
    /// empty and carries <see cref="Unix"/> instead.
    /// </summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    internal struct SocketRecord
    {
        // 96 bytes a row, not 152: at 500,000 rows the table that waits for its owners is 28 MB smaller. The three enums
        // are long-based for ConvertTo-Json but kept in bytes; the addresses as their raw halves with the IPv6 bits in
        // _flags (an AddressValue field is 24 bytes, 7 of them padding); SendQueue's and V6Only's "unknown" are bits
        // too; and what only some rows have (TCP internals, memory, the device a socket is bound to, and the OS-specific owner
        // handles of Windows and macOS) lives in one side object that Linux TCP and UDP rows never allocate.
        private byte _protocol;
        private byte _state;
        private byte _timer;
        private RecordFlags _flags;
        private ulong _localHigh;
        private ulong _localLow;
        private ulong _remoteHigh;
        private ulong _remoteLow;
        private uint _sendQueue;
        private byte _retransmits;
        private RecordExtras? _extras;

        [System.Flags]
        private enum RecordFlags : byte
        {
            None = 0,
            LocalIsV6 = 1,
            RemoteIsV6 = 2,
            SendQueueKnown = 4,
            V6OnlyKnown = 8,
            V6Only = 16,
        }

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

        internal AddressValue LocalAddress
        {
            readonly get => new AddressValue((_flags & RecordFlags.LocalIsV6) != 0, _localHigh, _localLow);
            set
            {
                (_localHigh, _localLow) = (value.High, value.Low);
                _flags = value.IsV6 ? _flags | RecordFlags.LocalIsV6 : _flags & ~RecordFlags.LocalIsV6;
            }
        }

        internal ushort LocalPort;

        internal AddressValue RemoteAddress
        {
            readonly get => new AddressValue((_flags & RecordFlags.RemoteIsV6) != 0, _remoteHigh, _remoteLow);
            set
            {
                (_remoteHigh, _remoteLow) = (value.High, value.Low);
                _flags = value.IsV6 ? _flags | RecordFlags.RemoteIsV6 : _flags & ~RecordFlags.RemoteIsV6;
            }
        }

        internal ushort RemotePort;

        internal uint ReceiveQueue;

        /// <summary>Null where the reader cannot know it (the listen backlog under /proc).</summary>
        internal uint? SendQueue
        {
            readonly get => (_flags & RecordFlags.SendQueueKnown) != 0 ? _sendQueue : null;
            set
            {
                _sendQueue = value ?? 0;
                _flags = value is null ? _flags & ~RecordFlags.SendQueueKnown : _flags | RecordFlags.SendQueueKnown;
            }
        }

        /// <summary>
        /// What this reader's OS never reports at all (Windows: queues, timers, retransmits, uids), so those
        /// properties are null on every entry instead of a made-up 0. None for the Linux readers.
        /// </summary>
        internal UnseenFields Unseen;

        /// <summary>The owning process when the table itself names it (Windows); 0 when unknown or found later.</summary>
        internal int ProcessId
        {
            readonly get => _extras?.ProcessId ?? 0;
            set
            {
                if (value != 0 || _extras is not null)
                {
                    Extras().ProcessId = value;
                }
            }
        }

        /// <summary>
        /// The opaque handle by which the owners' file tables name this socket (macOS: xso_so, which
        /// proc_pidfdinfo reports as soi_so); 0 when the reader has none or the socket has no file.
        /// </summary>
        internal ulong SocketHandle
        {
            readonly get => _extras?.SocketHandle ?? 0;
            set
            {
                if (value != 0 || _extras is not null)
                {
                    Extras().SocketHandle = value;
                }
            }
        }

        internal uint Uid;
        internal ulong Inode;

        internal SocketTimer Timer
        {
            readonly get => (SocketTimer)_timer;
            set => _timer = (byte)value;
        }

        internal uint TimerExpiresMs;

        /// <summary>Retransmissions of the unacknowledged segment: the kernel counts them in a byte too (icsk_retransmits).</summary>
        internal uint Retransmits
        {
            readonly get => _retransmits;
            set => _retransmits = (byte)System.Math.Min(value, byte.MaxValue);
        }

        /// <summary>Device the socket is bound to (SO_BINDTODEVICE); 0 when none or unknown.</summary>
        internal uint InterfaceIndex
        {
            readonly get => _extras?.InterfaceIndex ?? 0;
            set
            {
                if (value != 0 || _extras is not null)
                {
                    Extras().InterfaceIndex = value;
                }
            }
        }

        /// <summary>The kernel's socket cookie; 0 when the reader cannot see it (/proc).</summary>
        internal ulong Cookie;

        /// <summary>
        /// IPV6_V6ONLY of an IPv6 listener or bound socket: true when it takes IPv6 only, false when a socket
        /// bound to :: takes IPv4 too; null for other sockets and where the reader cannot see it (/proc).
        /// </summary>
        internal bool? V6Only
        {
            readonly get => (_flags & RecordFlags.V6OnlyKnown) == 0 ? null : (_flags & RecordFlags.V6Only) != 0;
            set
            {
                _flags &= ~(RecordFlags.V6OnlyKnown | RecordFlags.V6Only);
                if (value is bool only)
                {
                    _flags |= RecordFlags.V6OnlyKnown | (only ? RecordFlags.V6Only : RecordFlags.None);
                }
            }
        }

        /// <summary>TCP internals, when the query asked for them and the reader could see them; else null.</summary>
        internal TcpDetails? Tcp
        {
            readonly get => _extras?.Tcp;
            set
            {
                if (value is not null || _extras is not null)
                {
                    Extras().Tcp = value;
                }
            }
        }

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
        internal SocketMemory? Memory
        {
            readonly get => _extras?.Memory;
            set
            {
                if (value is not null || _extras is not null)
                {
                    Extras().Memory = value;
                }
            }
        }

        /// <summary>Name, kind and peer of a UNIX domain socket; null for TCP and UDP, whose addresses and ports say who they are.</summary>
        internal UnixSocketDetails? Unix;

        internal readonly bool IsV6 => (_flags & RecordFlags.LocalIsV6) != 0;

        /// <summary>
        /// What tells apart sockets that share a 4-tuple (SO_REUSEPORT listeners, several UDP sockets on one port):
        /// the inode on Linux, the socket handle on macOS, the owning process on Windows; 0 when none.
        /// </summary>
        internal readonly long Identity => Inode != 0 ? (long)Inode : SocketHandle != 0 ? unchecked((long)SocketHandle) : ProcessId;

        /// <summary>
        /// The side object, this row's own before it is changed: rows are copied by value, and a copy that shared the
        /// object with its original would change both.
        /// </summary>
        private RecordExtras Extras() => _extras = _extras?.Copy() ?? new RecordExtras();

        private sealed class RecordExtras
        {
            internal TcpDetails? Tcp;
            internal SocketMemory? Memory;
            internal ulong SocketHandle;
            internal int ProcessId;
            internal uint InterfaceIndex;

            internal RecordExtras Copy() => (RecordExtras)MemberwiseClone();
        }
    }
}
