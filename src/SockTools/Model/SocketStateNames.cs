namespace SockTools
{
    /// <summary>The short names ss prints for states and protocols, so a SocketEntry's ToString() reads like an ss line.</summary>
    internal static class SocketStateNames
    {
        internal static string Ss(SocketState state) => state switch
        {
            SocketState.Listen => "LISTEN",
            SocketState.SynSent => "SYN-SENT",
            SocketState.SynReceived => "SYN-RECV",
            SocketState.Established => "ESTAB",
            SocketState.FinWait1 => "FIN-WAIT-1",
            SocketState.FinWait2 => "FIN-WAIT-2",
            SocketState.CloseWait => "CLOSE-WAIT",
            SocketState.Closing => "CLOSING",
            SocketState.LastAck => "LAST-ACK",
            SocketState.TimeWait => "TIME-WAIT",
            _ => "UNCONN",
        };

        /// <summary>The Netid column of ss: tcp, udp, and for UNIX sockets u_str, u_dgr or u_seq.</summary>
        internal static string Netid(SocketProtocol protocol, UnixSocketType? type) => protocol switch
        {
            SocketProtocol.Tcp => "tcp",
            SocketProtocol.Udp => "udp",
            _ => type switch
            {
                UnixSocketType.Datagram => "u_dgr",
                UnixSocketType.SeqPacket => "u_seq",
                _ => "u_str",
            },
        };
    }
}
