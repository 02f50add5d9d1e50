namespace SockTools
{
    /// <summary>
    /// What happened when Test-SockPort tried to connect. Refused and TimedOut are kept apart on
    /// purpose: a refusal is an answer (the host is up, nothing listens), a timeout is silence
    /// (a firewall drops the packets, or the host is down).
    /// </summary>
    public enum PortStatus : long // long: ConvertTo-Json writes the name (see SocketState)
    {
        /// <summary>The TCP handshake completed: something accepts connections on the port.</summary>
        Open,
        /// <summary>The host answered with a reset: it is reachable, but nothing listens on the port (or a firewall rejects).</summary>
        Refused,
        /// <summary>No answer before the timeout: packets are dropped on the way, or the host is down.</summary>
        TimedOut,
        /// <summary>The name did not resolve to any IPv4 or IPv6 address (or resolution did not finish in time); nothing was sent.</summary>
        NameResolutionFailed,
        /// <summary>The network or host is unreachable (no route, or a router said so).</summary>
        Unreachable,
        /// <summary>Another socket error; Message names it.</summary>
        Error,
        /// <summary>
        /// No local port was free for the connection (connect failed with EADDRNOTAVAIL): every port of the ephemeral
        /// range is held by a socket to the same address and port, many in TIME_WAIT (see Get-SockPortUsage), or
        /// the system has no source address for that destination. Added last, so the numbers of the others stay.
        /// </summary>
        NoFreeLocalPort,
    }
}
