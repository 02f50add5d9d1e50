namespace SockTools.Graph
{
    /// <summary>
    /// One socket as the graph sees it: the few properties a map needs, taken from a <see cref="SocketEntry"/> or
    /// from its deserialized copy (remoting, jobs). Plain data, so the graph is built and tested without a table.
    /// </summary>
    /// <remarks>
    /// UNIX sockets (another branch) add a path, an inode and a peer inode here, and one join in
    /// <see cref="SocketGraphBuilder"/> that pairs inode with peer inode; nodes, edges and writers stay as they are.
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
        internal bool HasPeer => RemotePort != 0 || !RemoteAddress.IsAny;

        /// <summary>Waiting for peers: a TCP listener or a bound, unconnected UDP socket.</summary>
        internal bool IsListener => !HasPeer && (State == SocketState.Listen || State == SocketState.Unconnected);
    }
}
