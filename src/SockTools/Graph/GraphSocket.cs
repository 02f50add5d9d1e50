namespace SockTools.Graph
{
    /// <summary>
    /// One socket as the graph sees it: the few properties a map needs, taken from a <see cref="SocketEntry"/> or
    /// from its deserialized copy (remoting, jobs). Plain data, so the graph is built and tested without a table.
    /// </summary>
    /// <remarks>
    /// A UNIX socket has no addresses or ports: it is drawn by its path, and its two ends are paired by inode and
    /// peer inode (<see cref="Unix"/>).
    /// </remarks>
    internal sealed class GraphSocket
    {
        internal GraphSocket(string? host, SocketProtocol protocol, SocketState state, AddressValue localAddress, int localPort, AddressValue remoteAddress, int remotePort, int? processId, string? processName)
        {
            Host = host;
            Protocol = protocol;
            State = state;
            LocalAddress = localAddress.Unmapped;
            LocalPort = localPort;
            RemoteAddress = remoteAddress.Unmapped;
            RemotePort = remotePort;
            ProcessId = processId;
            ProcessName = processName;
        }

        /// <summary>A UNIX socket: its path (null when unnamed), its inode, its peer's inode and the peer's owner.</summary>
        internal static GraphSocket Unix(string? host, SocketState state, string? path, long inode, long? peerInode, int? processId, string? processName, int? peerProcessId, string? peerProcessName)
            => new GraphSocket(host, SocketProtocol.Unix, state, default, 0, default, 0, processId, processName)
            {
                Path = path,
                Inode = inode,
                PeerInode = peerInode,
                PeerProcessId = peerProcessId,
                PeerProcessName = peerProcessName,
            };

        internal bool IsUnix => Protocol == SocketProtocol.Unix;

        /// <summary>A UNIX socket's path ("@name" for an abstract one); null when unnamed or not UNIX.</summary>
        internal string? Path { get; private set; }

        internal long Inode { get; private set; }

        internal long? PeerInode { get; private set; }

        /// <summary>The process holding the peer socket, as the reader found it (UNIX only).</summary>
        internal int? PeerProcessId { get; private set; }

        internal string? PeerProcessName { get; private set; }

        /// <summary>The computer the socket was read on (PSComputerName of remoting output); null for this one.</summary>
        internal string? Host { get; }

        internal SocketProtocol Protocol { get; }

        internal SocketState State { get; }

        /// <summary>IPv4-mapped addresses are held as the IPv4 address, so both ends of a dual-stack connection match.</summary>
        internal AddressValue LocalAddress { get; }

        internal int LocalPort { get; }

        internal AddressValue RemoteAddress { get; }

        internal int RemotePort { get; }

        internal int? ProcessId { get; }

        internal string? ProcessName { get; }

        /// <summary>A connection (it has a peer), not a listener or an unconnected socket.</summary>
        internal bool HasPeer => IsUnix ? PeerInode is > 0 : RemotePort != 0 || !RemoteAddress.IsAny;

        /// <summary>Waiting for peers: a TCP listener or a bound, unconnected UDP socket.</summary>
        internal bool IsListener => IsUnix ? State == SocketState.Listen || (!HasPeer && Path is not null && State == SocketState.Unconnected)
            : !HasPeer && (State == SocketState.Listen || State == SocketState.Unconnected);
    }
}
