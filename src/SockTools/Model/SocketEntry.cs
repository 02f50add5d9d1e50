using System;
using System.Globalization;
using System.Text;
using SockTools.Table;

namespace SockTools
{
    /// <summary>
    /// One socket of the kernel's table: its 4-tuple (a UNIX socket: its name and peer), state, queues, timer and owner.
    /// Flat and typed so Where-Object, Export-Csv and ConvertTo-Json work on it directly;
    /// addresses are canonical strings ("127.0.0.1", "::1") for the same reason.
    /// Anything the reader could not see is null, never 0 or an empty string.
    /// </summary>
    /// <remarks>
    /// A UNIX socket is a <see cref="UnixSocketEntry"/>, which adds its name, kind and peer as properties of its own
    /// type: the type, not names added to each object, picks its view and its export columns, so 20,000 UNIX sockets
    /// are written without a wrapper each. Entries are made by <c>SocketEntry.Of</c>, which picks the type from the row.
    /// </remarks>
    public class SocketEntry
    {
        // Stored compactly, because a busy host has hundreds of thousands of entries: enums in bytes, numbers in
        // their kernel widths, and "not seen" as a bit in _seen (or 0 where 0 never is a value: no inode, cookie,
        // interface or owner pid) rather than as 16-byte nullables. The public properties below turn them back
        // into the documented types. Address family and exposure follow from the local address. What a process's
        // sockets share is one OwnerCard. 80 bytes of fields, 96 an entry with the object header.
        private readonly AddressText? _local; // null for a UNIX socket
        private readonly AddressText? _remote;
        private readonly EntryDetails? _details; // -TcpInfo, -MemoryInfo, a bound interface: null in a default read
        // Where the complete owner list is: a SocketOwnerList the OS table gave (Windows, macOS), or the OwnerBook of
        // the read with this socket's slot in it (Linux; the book builds each list once, and is also where the owner's
        // command line, service and container are read). One field for either.
        private readonly object? _ownerSource;
        private readonly OwnerCard _card; // process, its name, user and namespace: shared by the entries of one owner
        private readonly int _ownerSlot;
        private readonly ulong _inodeOrIdentity; // the inode, or (Seen.NoInode) the socket's Identity where it has no inode
        private readonly ulong _cookie;
        private readonly uint _receiveQueue;
        private readonly uint _sendQueue;
        private readonly uint _timerRemainingMs;
        private readonly ushort _localPort;
        private readonly ushort _remotePort;
        private readonly byte _protocolAndState; // protocol in the high four bits, state in the low four (a test keeps both below 16)
        private readonly byte _retransmits; // the kernel counts them in a byte too (Linux u8; macOS stops at 12)
        private readonly Seen _seen;

        /// <summary>The entry of a row: a <see cref="UnixSocketEntry"/> for a UNIX socket, else a SocketEntry with its addresses from <paramref name="addresses"/>.</summary>
        internal static SocketEntry Of(in SocketRecord row, in EntryOwner owner, string? userName, AddressTextCache addresses, OwnerCardCache cards)
            => row.Unix is null
                ? new SocketEntry(in row, addresses.Of(row.LocalAddress), addresses.Of(row.RemoteAddress), in owner, userName, cards)
                : new UnixSocketEntry(in row, in owner, userName, cards);

        /// <summary>The same with the addresses' text given (tests make entries this way).</summary>
        internal static SocketEntry Of(in SocketRecord row, string? localAddress, string? remoteAddress, in EntryOwner owner, string? userName)
            => row.Unix is null
                ? new SocketEntry(in row, Given(row.LocalAddress, localAddress), Given(row.RemoteAddress, remoteAddress), in owner, userName, new OwnerCardCache())
                : new UnixSocketEntry(in row, in owner, userName, new OwnerCardCache());

        private static AddressText? Given(AddressValue value, string? text) => text is null ? null : new AddressText(value, text);

        /// <summary>The same socket seen again in another state (a watch): see the constructor.</summary>
        internal static SocketEntry Of(in SocketRecord row, SocketEntry earlier)
            => row.Unix is null ? new SocketEntry(in row, earlier) : new UnixSocketEntry(in row, earlier);

        private protected SocketEntry(in SocketRecord row, AddressText? localAddress, AddressText? remoteAddress, in EntryOwner owner, string? userName, OwnerCardCache cards)
        {
            bool ip = row.Unix is null;
            _local = ip ? localAddress : null;
            _remote = ip ? remoteAddress : null;
            _ownerSource = (object?)owner.Known ?? owner.Book;
            _ownerSlot = owner.Slot;
            _details = EntryDetails.Of(row.Tcp, row.Memory, row.InterfaceIndex);

            // TIME_WAIT and half-open request sockets have no socket file: inode 0, and the uid the
            // kernel reports for them (0) is not an owner. Unknown, so null. Where the OS has no socket
            // files at all (macOS), its uid stands on its own; where it has no uids (Windows), the user
            // name comes from the owning process.
            bool hasFile = row.Inode != 0;
            UnseenFields unseen = row.Unseen;
            bool uidSeen = (unseen & UnseenFields.UserId) == 0 && (hasFile || (unseen & UnseenFields.Inode) != 0);
            string? user = uidSeen || (unseen & UnseenFields.UserId) != 0 ? userName : null;
            _card = cards.Of(owner.ProcessId ?? 0, owner.ProcessName, row.Uid, user, row.NamespaceNumber);
            _seen = RowSeen(in row) | (uidSeen ? Seen.UserId : Seen.None);
            _inodeOrIdentity = InodeOrIdentity(in row);
            _cookie = row.Cookie;
            (_protocolAndState, _localPort, _remotePort) = (ProtocolAndState(in row), row.LocalPort, row.RemotePort);
            (_receiveQueue, _sendQueue, _timerRemainingMs, _retransmits) = (row.ReceiveQueue, row.SendQueue ?? 0, row.TimerExpiresMs, Byte(row.Retransmits));
        }

        /// <summary>
        /// The same socket seen again in another state (a watch): its row now, with the addresses, owners and user of
        /// <paramref name="earlier"/>. Owners are carried because a connection that moved to TIME_WAIT has no process
        /// any more, but it had one; and a socket keeps its owners while it lives. (A UNIX socket's peer owner is
        /// carried by <see cref="UnixSocketEntry"/>.)
        /// </summary>
        private protected SocketEntry(in SocketRecord row, SocketEntry earlier)
        {
            _local = Same(earlier._local, row.LocalAddress);
            _remote = Same(earlier._remote, row.RemoteAddress);
            _card = earlier._card;
            _ownerSource = earlier._ownerSource;
            _ownerSlot = earlier._ownerSlot;
            _details = EntryDetails.Of(row.Tcp, row.Memory, row.InterfaceIndex);
            _seen = RowSeen(in row) | (earlier._seen & Seen.UserId);
            _inodeOrIdentity = InodeOrIdentity(in row);
            _cookie = row.Cookie == 0 ? earlier._cookie : row.Cookie;
            (_protocolAndState, _localPort, _remotePort) = (ProtocolAndState(in row), row.LocalPort, row.RemotePort);
            (_receiveQueue, _sendQueue, _timerRemainingMs, _retransmits) = (row.ReceiveQueue, row.SendQueue ?? 0, row.TimerExpiresMs, Byte(row.Retransmits));
        }

        private static byte ProtocolAndState(in SocketRecord row) => (byte)(((int)row.Protocol << 4) | ((int)row.State & 0xF));

        /// <summary>A count the kernels keep in a byte, kept in one; a larger value (none is known) shows as 255, not wrapped.</summary>
        private static byte Byte(uint value) => value > byte.MaxValue ? byte.MaxValue : (byte)value;

        /// <summary>
        /// The address a watch's later look of a socket shows: the earlier text, shared as it was unless the row's value
        /// differs (it never should for one socket; the value read now is kept, as before the addresses were shared).
        /// </summary>
        private static AddressText? Same(AddressText? earlier, AddressValue now)
            => earlier is null || earlier.Value.Equals(now) ? earlier : new AddressText(now, earlier.Text);

        /// <summary>Which of the row's values the reader saw (and, for IPv6Only, which way it points).</summary>
        [Flags]
        private enum Seen : ushort
        {
            None = 0,
            UserId = 1,
            ReceiveQueue = 2,
            SendQueue = 4,
            Timer = 8,
            TimerRemaining = 16,
            Retransmits = 32,
            IPv6OnlyKnown = 64,
            IPv6OnlyTrue = 128,
            NoInode = 256, // _inodeOrIdentity holds the Identity of a socket without an inode (TIME_WAIT, Windows, macOS)
            TimerKind = 0xF000, // the SocketTimer (0-4; a test keeps every value below 16), in the top four bits: a byte of its own would cost eight an entry
        }

        private const int TimerShift = 12;

        /// <summary>
        /// The inode, which is also the socket's Identity when it has one; otherwise the Identity, marked as not an
        /// inode in <see cref="RowSeen"/>: one field where two would cost eight bytes an entry.
        /// </summary>
        private static ulong InodeOrIdentity(in SocketRecord row) => row.Inode != 0 ? row.Inode : unchecked((ulong)row.Identity);

        /// <summary>Where the owner's command line, service and container are read; null where the OS tells none.</summary>
        private OwnerIdentity? IdentitySource => (_ownerSource as OwnerBook)?.Identity;

        /// <summary>The socket file's inode; 0 for none.</summary>
        private ulong FileInode => (_seen & Seen.NoInode) != 0 ? 0 : _inodeOrIdentity;

        private static Seen RowSeen(in SocketRecord row)
        {
            UnseenFields unseen = row.Unseen;
            Seen seen = row.Inode == 0 ? Seen.NoInode : Seen.None;
            if ((unseen & UnseenFields.Queues) == 0)
            {
                seen |= Seen.ReceiveQueue | (row.SendQueue is null ? Seen.None : Seen.SendQueue);
            }

            if ((unseen & UnseenFields.Timer) == 0)
            {
                seen |= Seen.Timer | (row.Timer == SocketTimer.None ? Seen.None : Seen.TimerRemaining);
            }

            seen |= (Seen)(((int)row.Timer << TimerShift) & (int)Seen.TimerKind);

            if ((unseen & UnseenFields.Retransmits) == 0)
            {
                seen |= Seen.Retransmits;
            }

            if (row.V6Only is bool only)
            {
                seen |= Seen.IPv6OnlyKnown | (only ? Seen.IPv6OnlyTrue : Seen.None);
            }

            return seen;
        }

        /// <summary>Tcp, Udp or Unix.</summary>
        public SocketProtocol Protocol => (SocketProtocol)(_protocolAndState >> 4);

        /// <summary>IPv4 or IPv6; null for a UNIX socket, which has no IP address.</summary>
        public IPAddressFamily? AddressFamily => Unix is not null ? null : LocalValue.IsV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;

        /// <summary>Local address in canonical text form: 127.0.0.1, ::1, 0.0.0.0 for every interface; null for a UNIX socket.</summary>
        public string? LocalAddress => _local?.Text;

        /// <summary>Local port; for a client socket this is the ephemeral port the OS picked; null for a UNIX socket.</summary>
        public int? LocalPort => Unix is null ? _localPort : null;

        /// <summary>Peer address; 0.0.0.0 or :: when there is no peer (listeners, unconnected UDP); null for a UNIX socket.</summary>
        public string? RemoteAddress => _remote?.Text;

        /// <summary>Peer port; 0 when there is no peer; null for a UNIX socket.</summary>
        public int? RemotePort => Unix is null ? _remotePort : null;

        /// <summary>TCP state, Unconnected/Established for UDP, Listen/Established/Unconnected for UNIX.</summary>
        public SocketState State => (SocketState)(_protocolAndState & 0xF);

        /// <summary>Where the local endpoint can be reached from: Loopback, AllInterfaces or one Address; null for a UNIX socket.</summary>
        public Exposure? Exposure => Unix is null ? LocalValue.Exposure : null;

        /// <summary>
        /// For an IPv6 socket that listens or is bound: true when it takes IPv6 only (IPV6_V6ONLY), false when it
        /// takes IPv4 too (a listener on :: then serves both; its endpoint reads *:80, as ss prints it). Null for
        /// IPv4 sockets, for connected IPv6 sockets (Linux reports the flag for listening and bound sockets only),
        /// and where the reader cannot see it (/proc/net, Windows).
        /// </summary>
        public bool? IPv6Only => (_seen & Seen.IPv6OnlyKnown) == 0 ? null : (_seen & Seen.IPv6OnlyTrue) != 0;

        /// <summary>
        /// Process that holds the socket: the lowest process id among its owners, so the same whatever the filter;
        /// null when it cannot be seen (other user's process without root, or no process such as TIME_WAIT).
        /// </summary>
        public int? ProcessId => _card.ProcessId == 0 ? null : _card.ProcessId;

        /// <summary>Name of that process (its comm, at most 15 characters); null when unknown.</summary>
        public string? ProcessName => _card.ProcessName;

        /// <summary>That process's command line, its arguments joined by spaces (Linux); null when unknown or empty.</summary>
        public string? CommandLine => ProcessId is int pid ? IdentitySource?.CommandLineOf(pid) : null;

        /// <summary>The systemd service that process runs in, such as nginx.service (Linux, from its cgroup); null when none.</summary>
        public string? ServiceName => ProcessId is int pid ? IdentitySource?.ServiceNameOf(pid) : null;

        /// <summary>The short id (12 hex digits) of the container that process runs in (Linux, from its cgroup); null when none.</summary>
        public string? ContainerId => ProcessId is int pid ? IdentitySource?.ContainerIdOf(pid) : null;

        /// <summary>
        /// Every process that holds the socket, with the fd it holds it by, lowest pid first (a pre-fork server's
        /// master and workers); null when no owner is known.
        /// </summary>
        public SocketOwnerList? Owners => ProcessId is null ? null : _ownerSource as SocketOwnerList ?? (_ownerSource as OwnerBook)?.OwnersOf(_ownerSlot);

        /// <summary>User id owning the socket; null for sockets without a file (TIME_WAIT) and on Windows, whose users are SIDs.</summary>
        public long? UserId => (_seen & Seen.UserId) == 0 ? null : _card.UserId;

        /// <summary>Name of that user (on Windows: the owning process's account, DOMAIN\\user); null when unknown.</summary>
        public string? UserName => _card.UserName;

        /// <summary>Inode of the socket file (the number /proc/&lt;pid&gt;/fd links name); null for TIME_WAIT.</summary>
        public long? Inode => FileInode == 0 ? null : (long)FileInode;

        /// <summary>Bytes received and not yet read by the application; for a listener, connections waiting for accept(); null where the OS does not report it (Windows).</summary>
        public long? ReceiveQueue => (_seen & Seen.ReceiveQueue) == 0 ? null : _receiveQueue;

        /// <summary>Bytes sent and not yet acknowledged; for a listener, its backlog limit (null from the /proc reader, which cannot see it, and on Windows).</summary>
        public long? SendQueue => (_seen & Seen.SendQueue) == 0 ? null : _sendQueue;

        /// <summary>The kernel timer pending on the socket; null where the OS does not report timers (Windows, macOS).</summary>
        public SocketTimer? Timer => (_seen & Seen.Timer) == 0 ? null : (SocketTimer)(((int)_seen & (int)Seen.TimerKind) >> TimerShift);

        /// <summary>Milliseconds until that timer fires (for TimeWait: until the 4-tuple is free); null when no timer.</summary>
        public long? TimerRemainingMs => (_seen & Seen.TimerRemaining) == 0 ? null : _timerRemainingMs;

        /// <summary>Unanswered retransmissions (or keep-alive/zero-window probes) so far; null where the OS does not report them (Windows).</summary>
        public int? Retransmits => (_seen & Seen.Retransmits) == 0 ? null : (int)_retransmits;

        /// <summary>
        /// Interface the socket is bound to (SO_BINDTODEVICE); on Windows and macOS the scope (interface) of a
        /// link-local local address; null when not bound or not known.
        /// </summary>
        public int? InterfaceIndex => _details?.InterfaceIndex is uint index and not 0 ? (int)index : null;

        /// <summary>The kernel's unique socket cookie (netlink reader only); null when not known.</summary>
        public ulong? Cookie => _cookie == 0 ? null : _cookie;

        /// <summary>
        /// The network namespace the socket lives in, when the command named namespaces (-NetworkNamespace,
        /// -AllNetworkNamespaces): its name from ip netns, else "net:[inode]"; null for the namespace PowerShell runs in.
        /// </summary>
        public string? NetworkNamespace => Namespace?.Label;

        /// <summary>That namespace with its inode, which tells namespaces apart (a watch's keys); null as above.</summary>
        internal NamespaceTag? Namespace => NamespaceTag.At(_card.NamespaceNumber);

        /// <summary>TCP internals (-TcpInfo only): shown as properties through SockTools.Types.ps1xml, only when asked for.</summary>
        internal TcpDetails? Tcp => _details?.Tcp;

        /// <summary>Name, kind and peer inode of a UNIX socket; null for TCP and UDP.</summary>
        private UnixSocketDetails? Unix => (this as UnixSocketEntry)?.Details;

        /// <summary>Memory accounting (-MemoryInfo only): shown as properties through SockTools.Types.ps1xml, only when asked for.</summary>
        internal SocketMemory? Memory => _details?.Memory;

        /// <summary>A UNIX socket's name: a path, an abstract name as @name (as ss prints it); null when unnamed or not UNIX.</summary>
        internal string? Path => (this as UnixSocketEntry)?.Path;

        /// <summary>A UNIX socket's kind; null for TCP and UDP.</summary>
        internal UnixSocketType? UnixType => (this as UnixSocketEntry)?.SocketType;

        /// <summary>Inode of a UNIX socket's peer (the socket at the other end); null when it has none or it is not known.</summary>
        internal long? PeerInode => (this as UnixSocketEntry)?.PeerInode;

        /// <summary>The process holding a UNIX socket's peer (its lowest pid), found by the same owner scan; null when unknown.</summary>
        internal int? PeerProcessId => (this as UnixSocketEntry)?.PeerProcessId;

        /// <summary>Name of the process holding the peer; null when unknown.</summary>
        internal string? PeerProcessName => (this as UnixSocketEntry)?.PeerProcessName;

        /// <summary>Local address and port as ss prints them: 127.0.0.1:80, [::1]:80; a UNIX socket's name (the LocalEndpoint property).</summary>
        internal string? LocalEndpoint => Unix is null ? FormatEndpoint(LocalAddress!, _localPort, false, IPv6Only) : Unix.Path;

        /// <summary>Peer address and port; a peer port of 0 (no peer) as *: 0.0.0.0:*; null for a UNIX socket (the RemoteEndpoint property).</summary>
        internal string? RemoteEndpoint => Unix is null ? FormatEndpoint(RemoteAddress!, _remotePort, true, IPv6Only) : null;

        /// <summary>The local address as the reader saw it, for fast keys and range checks.</summary>
        internal AddressValue LocalValue => _local?.Value ?? default;

        internal AddressValue RemoteValue => _remote?.Value ?? default;

        /// <summary>The socket's own number, where the OS gives one (inode, handle, or Windows' owning pid); 0 when none.</summary>
        internal long Identity => unchecked((long)_inodeOrIdentity);


        /// <summary>What Get-SockListener lists: a TCP socket in Listen, or a UDP socket bound with no fixed peer.</summary>
        internal bool IsListener
            => (Protocol == SocketProtocol.Tcp && State == SocketState.Listen)
               || (Protocol == SocketProtocol.Udp && State == SocketState.Unconnected);

        /// <summary>
        /// The socket in one phrase, for prompts and messages: "Tcp Established 127.0.0.1:40000 -> 127.0.0.1:5432
        /// (psql, pid 812)"; the peer only when there is one, the owner only when it is known.
        /// </summary>
        internal string Summary
        {
            get
            {
                var text = new StringBuilder();
                text.Append(Protocol).Append(' ').Append(State).Append(' ');
                if (Unix is not null)
                {
                    // A UNIX socket by its name and inode, and its peer's inode: many share a name or have none.
                    text.Append(Unix.Path ?? "(unnamed)").Append(" inode ").Append(FileInode.ToString(CultureInfo.InvariantCulture));
                    if (Unix.PeerInode != 0)
                    {
                        text.Append(" -> inode ").Append(Unix.PeerInode.ToString(CultureInfo.InvariantCulture));
                    }
                }
                else
                {
                    text.Append(LocalEndpoint);
                    if (_remotePort != 0)
                    {
                        text.Append(" -> ").Append(RemoteEndpoint);
                    }
                }

                if (ProcessId is int pid)
                {
                    text.Append(" (").Append(ProcessName ?? "?").Append(", pid ").Append(pid.ToString(CultureInfo.InvariantCulture)).Append(')');
                }

                return text.ToString();
            }
        }

        /// <summary>Endpoint as ss prints it: 127.0.0.1:80, [::1]:80; port 0 of a peer shows as *.</summary>
        internal static string FormatEndpoint(string address, int port, bool isPeer, bool? ipv6Only = null)
        {
            // ss's own mark for a socket on :: that takes IPv4 too: *:80 (and its peer *:*); [::]:80 is IPv6 only.
            string host = ipv6Only == false && address == "::" ? "*"
                : address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
            string portText = isPeer && port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture);
            return host + ":" + portText;
        }

        /// <summary>
        /// One line like ss -anp prints: protocol, state, queues, endpoints, every owner. A UNIX socket reads like
        /// ss -xp: its name (* when unnamed) and inode, then * and the peer's inode (0 when none).
        /// </summary>
        public override string ToString()
        {
            var line = new StringBuilder();
            line.Append(SocketStateNames.Netid(Protocol, UnixType)).Append(' ')
                .Append(SocketStateNames.Ss(State)).Append(' ')
                .Append(ReceiveQueue?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(' ')
                .Append(SendQueue?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(' ');
            if (Unix is null)
            {
                line.Append(LocalEndpoint).Append(' ').Append(RemoteEndpoint);
            }
            else
            {
                line.Append(Unix.Path ?? "*").Append(' ').Append(FileInode.ToString(CultureInfo.InvariantCulture))
                    .Append(" * ").Append(Unix.PeerInode.ToString(CultureInfo.InvariantCulture));
            }
            if (Owners is { Count: > 0 } owners)
            {
                line.Append(" users:(");
                for (int i = 0; i < owners.Count; i++)
                {
                    SocketHolder owner = owners.Holder(i);
                    line.Append(i == 0 ? "(\"" : ",(\"").Append(owner.ProcessName)
                        .Append("\",pid=").Append(owner.ProcessId.ToString(CultureInfo.InvariantCulture));
                    if (owner.FileDescriptor is int fd)
                    {
                        line.Append(",fd=").Append(fd.ToString(CultureInfo.InvariantCulture)); // Windows tables name no handle
                    }

                    line.Append(')');
                }

                line.Append(')');
            }

            return line.ToString();
        }

        /// <summary>
        /// Looks the peer's owner up now, before the peer may be gone (the watch does so when a change is seen);
        /// otherwise it is looked up the first time it is asked for.
        /// </summary>
        internal void ResolvePeer() => (this as UnixSocketEntry)?.ResolvePeer();
    }
}
