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
        private readonly OwnerBook? _ownerBook;
        private readonly int _ownerSlot;
        private SocketOwnerList? _owners;

        internal SocketEntry(in SocketRecord row, string localAddress, string remoteAddress, in EntryOwner owner, string? userName)
        {
            Protocol = row.Protocol;
            AddressFamily = row.IsV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;
            LocalAddress = localAddress;
            LocalPort = row.LocalPort;
            RemoteAddress = remoteAddress;
            RemotePort = row.RemotePort;
            State = row.State;
            Exposure = row.LocalAddress.Exposure;
            ProcessId = owner.ProcessId;
            ProcessName = owner.ProcessName;
            _owners = owner.Known;
            _ownerBook = owner.Book;
            _ownerSlot = owner.Slot;

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
            Identity = row.Identity;
        }

        /// <summary>
        /// The same socket seen again in another state (a watch): its row now, with the addresses, owners and user of
        /// <paramref name="earlier"/>. Owners are carried because a connection that moved to TIME_WAIT has no process
        /// any more, but it had one; and a socket keeps its owners while it lives.
        /// </summary>
        internal SocketEntry(in SocketRecord row, SocketEntry earlier)
        {
            Protocol = row.Protocol;
            AddressFamily = earlier.AddressFamily;
            LocalAddress = earlier.LocalAddress;
            LocalPort = row.LocalPort;
            RemoteAddress = earlier.RemoteAddress;
            RemotePort = row.RemotePort;
            State = row.State;
            Exposure = earlier.Exposure;
            ProcessId = earlier.ProcessId;
            ProcessName = earlier.ProcessName;
            _owners = earlier._owners;
            _ownerBook = earlier._ownerBook;
            _ownerSlot = earlier._ownerSlot;
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
            Identity = row.Identity;
        }

        /// <summary>Tcp or Udp.</summary>
        public SocketProtocol Protocol { get; }

        /// <summary>IPv4 or IPv6.</summary>
        public IPAddressFamily AddressFamily { get; }

        /// <summary>Local address in canonical text form: 127.0.0.1, ::1, 0.0.0.0 for every interface.</summary>
        public string LocalAddress { get; }

        /// <summary>Local port; for a client socket this is the ephemeral port the OS picked.</summary>
        public int LocalPort { get; }

        /// <summary>Peer address; 0.0.0.0 or :: when there is no peer (listeners, unconnected UDP).</summary>
        public string RemoteAddress { get; }

        /// <summary>Peer port; 0 when there is no peer.</summary>
        public int RemotePort { get; }

        /// <summary>TCP state, or Unconnected/Established for UDP.</summary>
        public SocketState State { get; }

        /// <summary>Where the local endpoint can be reached from: Loopback, AllInterfaces or one Address.</summary>
        public Exposure Exposure { get; }

        /// <summary>
        /// Process that holds the socket: the lowest process id among its owners, so the same whatever the filter;
        /// null when it cannot be seen (other user's process without root, or no process such as TIME_WAIT).
        /// </summary>
        public int? ProcessId { get; }

        /// <summary>Name of that process (its comm, at most 15 characters); null when unknown.</summary>
        public string? ProcessName { get; }

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

        /// <summary>Local address and port as ss prints them: 127.0.0.1:80, [::1]:80 (the LocalEndpoint property).</summary>
        internal string LocalEndpoint => FormatEndpoint(LocalAddress, LocalPort, false);

        /// <summary>Peer address and port; a peer port of 0 (no peer) as *: 0.0.0.0:* (the RemoteEndpoint property).</summary>
        internal string RemoteEndpoint => FormatEndpoint(RemoteAddress, RemotePort, true);

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

        /// <summary>One line like ss -anp prints: protocol, state, queues, endpoints, every owner.</summary>
        public override string ToString()
        {
            var line = new StringBuilder();
            line.Append(Protocol == SocketProtocol.Tcp ? "tcp" : "udp").Append(' ')
                .Append(SocketStateNames.Ss(State)).Append(' ')
                .Append(ReceiveQueue?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(' ')
                .Append(SendQueue?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(' ')
                .Append(LocalEndpoint).Append(' ')
                .Append(RemoteEndpoint);
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
    }
}
