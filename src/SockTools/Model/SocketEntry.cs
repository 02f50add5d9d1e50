using System.Globalization;
using System.Text;
using SockTools.Table;

namespace SockTools
{
    /// <summary>
    /// One socket of the kernel's table: its 4-tuple, state, queues, timer and owner.
    /// Flat and typed so Where-Object, Export-Csv and ConvertTo-Json work on it directly;
    /// addresses are canonical strings ("127.0.0.1", "::1") for the same reason.
    /// Anything the reader could not see is null, never 0 or an empty string.
    /// </summary>
    public sealed class SocketEntry
    {
        private readonly TcpDetails? _tcp;
        private readonly SocketMemory? _memory;
        private readonly UnixSocketDetails? _unix;
        private readonly OwnerBook? _ownerBook;
        private readonly int _ownerSlot;
        private readonly OwnerIdentity? _identity;
        private readonly OwnerBook? _peerBook;
        private readonly int _peerSlot;
        private SocketOwnerList? _owners;
        private bool _peerKnown;
        private int? _peerProcessId;
        private string? _peerProcessName;

        internal SocketEntry(in SocketRecord row, string? localAddress, string? remoteAddress, in EntryOwner owner, string? userName)
        {
            Protocol = row.Protocol;
            _unix = row.Unix;
            bool ip = row.Unix is null;
            AddressFamily = !ip ? null : row.IsV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;
            LocalAddress = ip ? localAddress : null;
            LocalPort = ip ? row.LocalPort : null;
            RemoteAddress = ip ? remoteAddress : null;
            RemotePort = ip ? row.RemotePort : null;
            State = row.State;
            Exposure = ip ? row.LocalAddress.Exposure : null;
            ProcessId = owner.ProcessId;
            ProcessName = owner.ProcessName;
            _owners = owner.Known;
            _ownerBook = owner.Book;
            _ownerSlot = owner.Slot;
            _identity = owner.Identity;
            _peerBook = owner.PeerBook;
            _peerSlot = owner.PeerSlot;

            // TIME_WAIT and half-open request sockets have no socket file: inode 0, and the uid the
            // kernel reports for them (0) is not an owner. Unknown, so null. Where the OS has no socket
            // files at all (macOS), its uid stands on its own; where it has no uids (Windows), the user
            // name comes from the owning process.
            bool hasFile = row.Inode != 0;
            UnseenFields unseen = row.Unseen;
            bool uidSeen = (unseen & UnseenFields.UserId) == 0 && (hasFile || (unseen & UnseenFields.Inode) != 0);
            UserId = uidSeen ? row.Uid : null;
            UserName = uidSeen || (unseen & UnseenFields.UserId) != 0 ? userName : null;
            Inode = hasFile ? (long)row.Inode : null;

            bool queuesSeen = (unseen & UnseenFields.Queues) == 0;
            ReceiveQueue = queuesSeen ? row.ReceiveQueue : null;
            SendQueue = queuesSeen ? row.SendQueue : null;
            Timer = (unseen & UnseenFields.Timer) == 0 ? row.Timer : null;
            TimerRemainingMs = Timer is null || Timer == SocketTimer.None ? null : row.TimerExpiresMs;
            Retransmits = (unseen & UnseenFields.Retransmits) == 0 ? (int)row.Retransmits : null;
            InterfaceIndex = row.InterfaceIndex == 0 ? null : (int)row.InterfaceIndex;
            Cookie = row.Cookie == 0 ? null : row.Cookie;
            LocalValue = row.LocalAddress;
            RemoteValue = row.RemoteAddress;
            V6Only = row.V6Only;
            _tcp = row.Tcp;
            _memory = row.Memory;
            Identity = row.Identity;
        }

        /// <summary>
        /// The same socket seen again in another state (a watch): its row now, with the addresses, owners and user of
        /// <paramref name="earlier"/>. Owners are carried because a connection that moved to TIME_WAIT has no process
        /// any more, but it had one; and a socket keeps its owners while it lives. A UNIX socket's peer owner is
        /// carried only while the peer is the same socket: a peer it connected to since was never looked up.
        /// </summary>
        internal SocketEntry(in SocketRecord row, SocketEntry earlier)
        {
            Protocol = row.Protocol;
            _unix = row.Unix;
            AddressFamily = earlier.AddressFamily;
            LocalAddress = earlier.LocalAddress;
            LocalPort = earlier.LocalPort;
            RemoteAddress = earlier.RemoteAddress;
            RemotePort = earlier.RemotePort;
            State = row.State;
            Exposure = earlier.Exposure;
            ProcessId = earlier.ProcessId;
            ProcessName = earlier.ProcessName;
            _owners = earlier._owners;
            _ownerBook = earlier._ownerBook;
            _ownerSlot = earlier._ownerSlot;
            _identity = earlier._identity;
            if ((row.Unix?.PeerInode ?? 0) == (earlier._unix?.PeerInode ?? 0))
            {
                _peerBook = earlier._peerBook;
                _peerSlot = earlier._peerSlot;
                _peerKnown = earlier._peerKnown;
                _peerProcessId = earlier._peerProcessId;
                _peerProcessName = earlier._peerProcessName;
            }

            UserId = earlier.UserId;
            UserName = earlier.UserName;
            Inode = row.Inode != 0 ? (long)row.Inode : null;
            bool queuesSeen = (row.Unseen & UnseenFields.Queues) == 0;
            ReceiveQueue = queuesSeen ? row.ReceiveQueue : null;
            SendQueue = queuesSeen ? row.SendQueue : null;
            Timer = (row.Unseen & UnseenFields.Timer) == 0 ? row.Timer : null;
            TimerRemainingMs = Timer is null || Timer == SocketTimer.None ? null : row.TimerExpiresMs;
            Retransmits = (row.Unseen & UnseenFields.Retransmits) == 0 ? (int)row.Retransmits : null;
            InterfaceIndex = row.InterfaceIndex == 0 ? null : (int)row.InterfaceIndex;
            Cookie = row.Cookie == 0 ? earlier.Cookie : row.Cookie;
            LocalValue = row.LocalAddress;
            RemoteValue = row.RemoteAddress;
            V6Only = row.V6Only;
            _tcp = row.Tcp;
            _memory = row.Memory;
            Identity = row.Identity;
        }

        /// <summary>Tcp, Udp or Unix.</summary>
        public SocketProtocol Protocol { get; }

        /// <summary>IPv4 or IPv6; null for a UNIX socket, which has no IP address.</summary>
        public IPAddressFamily? AddressFamily { get; }

        /// <summary>Local address in canonical text form: 127.0.0.1, ::1, 0.0.0.0 for every interface; null for a UNIX socket.</summary>
        public string? LocalAddress { get; }

        /// <summary>Local port; for a client socket this is the ephemeral port the OS picked; null for a UNIX socket.</summary>
        public int? LocalPort { get; }

        /// <summary>Peer address; 0.0.0.0 or :: when there is no peer (listeners, unconnected UDP); null for a UNIX socket.</summary>
        public string? RemoteAddress { get; }

        /// <summary>Peer port; 0 when there is no peer; null for a UNIX socket.</summary>
        public int? RemotePort { get; }

        /// <summary>TCP state, Unconnected/Established for UDP, Listen/Established/Unconnected for UNIX.</summary>
        public SocketState State { get; }

        /// <summary>Where the local endpoint can be reached from: Loopback, AllInterfaces or one Address; null for a UNIX socket.</summary>
        public Exposure? Exposure { get; }

        /// <summary>
        /// Process that holds the socket: the lowest process id among its owners, so the same whatever the filter;
        /// null when it cannot be seen (other user's process without root, or no process such as TIME_WAIT).
        /// </summary>
        public int? ProcessId { get; }

        /// <summary>Name of that process (its comm, at most 15 characters); null when unknown.</summary>
        public string? ProcessName { get; }

        /// <summary>That process's command line, its arguments joined by spaces (Linux); null when unknown or empty.</summary>
        public string? CommandLine => ProcessId is int pid ? _identity?.CommandLineOf(pid) : null;

        /// <summary>The systemd service that process runs in, such as nginx.service (Linux, from its cgroup); null when none.</summary>
        public string? ServiceName => ProcessId is int pid ? _identity?.ServiceNameOf(pid) : null;

        /// <summary>The short id (12 hex digits) of the container that process runs in (Linux, from its cgroup); null when none.</summary>
        public string? ContainerId => ProcessId is int pid ? _identity?.ContainerIdOf(pid) : null;

        /// <summary>
        /// Every process that holds the socket, with the fd it holds it by, lowest pid first (a pre-fork server's
        /// master and workers); null when no owner is known.
        /// </summary>
        public SocketOwnerList? Owners => ProcessId is null ? null : _owners ??= _ownerBook?.OwnersOf(_ownerSlot);

        /// <summary>User id owning the socket; null for sockets without a file (TIME_WAIT) and on Windows, whose users are SIDs.</summary>
        public long? UserId { get; }

        /// <summary>Name of that user (on Windows: the owning process's account, DOMAIN\\user); null when unknown.</summary>
        public string? UserName { get; }

        /// <summary>Inode of the socket file (the number /proc/&lt;pid&gt;/fd links name); null for TIME_WAIT.</summary>
        public long? Inode { get; }

        /// <summary>Bytes received and not yet read by the application; for a listener, connections waiting for accept(); null where the OS does not report it (Windows).</summary>
        public long? ReceiveQueue { get; }

        /// <summary>Bytes sent and not yet acknowledged; for a listener, its backlog limit (null from the /proc reader, which cannot see it, and on Windows).</summary>
        public long? SendQueue { get; }

        /// <summary>The kernel timer pending on the socket; null where the OS does not report timers (Windows, macOS).</summary>
        public SocketTimer? Timer { get; }

        /// <summary>Milliseconds until that timer fires (for TimeWait: until the 4-tuple is free); null when no timer.</summary>
        public long? TimerRemainingMs { get; }

        /// <summary>Unanswered retransmissions (or keep-alive/zero-window probes) so far; null where the OS does not report them (Windows).</summary>
        public int? Retransmits { get; }

        /// <summary>
        /// Interface the socket is bound to (SO_BINDTODEVICE); on Windows and macOS the scope (interface) of a
        /// link-local local address; null when not bound or not known.
        /// </summary>
        public int? InterfaceIndex { get; }

        /// <summary>The kernel's unique socket cookie (netlink reader only); null when not known.</summary>
        public ulong? Cookie { get; }

        /// <summary>TCP internals (-TcpInfo only): shown as properties through SockTools.Types.ps1xml, only when asked for.</summary>
        internal TcpDetails? Tcp => _tcp;

        /// <summary>Memory accounting (-MemoryInfo only): shown as properties through SockTools.Types.ps1xml, only when asked for.</summary>
        internal SocketMemory? Memory => _memory;

        /// <summary>A UNIX socket's name: a path, an abstract name as @name (as ss prints it); null when unnamed or not UNIX.</summary>
        internal string? Path => _unix?.Path;

        /// <summary>A UNIX socket's kind; null for TCP and UDP.</summary>
        internal UnixSocketType? UnixType => _unix?.Type;

        /// <summary>Inode of a UNIX socket's peer (the socket at the other end); null when it has none or it is not known.</summary>
        internal long? PeerInode => _unix is { PeerInode: > 0 } unix ? (long)unix.PeerInode : null;

        /// <summary>The process holding a UNIX socket's peer (its lowest pid), found by the same owner scan; null when unknown.</summary>
        internal int? PeerProcessId
        {
            get
            {
                ResolvePeer();
                return _peerProcessId;
            }
        }

        /// <summary>Name of the process holding the peer; null when unknown.</summary>
        internal string? PeerProcessName
        {
            get
            {
                ResolvePeer();
                return _peerProcessName;
            }
        }

        /// <summary>Local address and port as ss prints them: 127.0.0.1:80, [::1]:80; a UNIX socket's name (the LocalEndpoint property).</summary>
        internal string? LocalEndpoint => _unix is null ? FormatEndpoint(LocalAddress!, LocalPort ?? 0, false) : _unix.Path;

        /// <summary>Peer address and port; a peer port of 0 (no peer) as *: 0.0.0.0:*; null for a UNIX socket (the RemoteEndpoint property).</summary>
        internal string? RemoteEndpoint => _unix is null ? FormatEndpoint(RemoteAddress!, RemotePort ?? 0, true) : null;

        /// <summary>The local address as the reader saw it, for fast keys and range checks.</summary>
        internal AddressValue LocalValue { get; }

        internal AddressValue RemoteValue { get; }

        /// <summary>The socket's own number, where the OS gives one (inode, handle, or Windows' owning pid); 0 when none.</summary>
        internal long Identity { get; }

        /// <summary>
        /// For an IPv6 listener: true when it takes IPv6 connections only (IPV6_V6ONLY), false when one bound to ::
        /// takes IPv4 too; null when unknown (the /proc reader cannot see it) or not an IPv6 listener. Not a
        /// property of the output: Test-SockPort reads it to explain a refused IPv4 connection.
        /// </summary>
        internal bool? V6Only { get; }

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
                text.Append(Protocol).Append(' ').Append(State).Append(' ').Append(LocalEndpoint);
                if (RemotePort != 0)
                {
                    text.Append(" -> ").Append(RemoteEndpoint);
                }

                if (ProcessId is int pid)
                {
                    text.Append(" (").Append(ProcessName ?? "?").Append(", pid ").Append(pid.ToString(CultureInfo.InvariantCulture)).Append(')');
                }

                return text.ToString();
            }
        }

        /// <summary>Endpoint as ss prints it: 127.0.0.1:80, [::1]:80; port 0 of a peer shows as *.</summary>
        internal static string FormatEndpoint(string address, int port, bool isPeer)
        {
            string host = address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
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
            if (_unix is null)
            {
                line.Append(LocalEndpoint).Append(' ').Append(RemoteEndpoint);
            }
            else
            {
                line.Append(_unix.Path ?? "*").Append(' ').Append((Inode ?? 0).ToString(CultureInfo.InvariantCulture))
                    .Append(" * ").Append(_unix.PeerInode.ToString(CultureInfo.InvariantCulture));
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
        /// Looks the peer's owner up the first time it is asked for (or the watch pins it): in the book of the read that
        /// found this socket, which waits until the lowest owner of the peer is certain. Never done for entries nobody asks.
        /// </summary>
        internal void ResolvePeer()
        {
            if (_peerKnown)
            {
                return;
            }

            if (_peerBook is not null && PeerInode is not null)
            {
                int pid = _peerBook.CertainLowestOwnerOf(_peerSlot);
                if (pid > 0)
                {
                    _peerProcessId = pid;
                    _peerProcessName = _peerBook.NameOf(pid);
                }
            }

            _peerKnown = true;
        }
    }
}
