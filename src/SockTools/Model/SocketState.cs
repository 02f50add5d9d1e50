namespace SockTools
{
    // The output enums below are long-based on purpose: ConvertTo-Json writes 64-bit enums by name
    // ("State": "Established") and 32-bit ones as numbers, so exports carry names without -EnumsAsStrings,
    // while comparisons (Where-Object State -eq Established) and tab completion work as for any enum.

    /// <summary>
    /// The state of a socket, named as PowerShell users know it from Get-NetTCPConnection.
    /// TCP states follow RFC 793; <see cref="Unconnected"/> is a UDP socket with no fixed peer.
    /// </summary>
    public enum SocketState : long
    {
        /// <summary>TCP: waiting for incoming connections.</summary>
        Listen,
        /// <summary>TCP: connection request sent, waiting for the answer.</summary>
        SynSent,
        /// <summary>TCP: connection request received and answered, waiting for the final ACK.</summary>
        SynReceived,
        /// <summary>TCP: open, data flows (UDP: connected to one peer).</summary>
        Established,
        /// <summary>TCP: this side closed first and sent FIN.</summary>
        FinWait1,
        /// <summary>TCP: our FIN was acknowledged; waiting for the peer to close.</summary>
        FinWait2,
        /// <summary>TCP: the peer closed; this side's application has not closed yet.</summary>
        CloseWait,
        /// <summary>TCP: both sides closed at the same time.</summary>
        Closing,
        /// <summary>TCP: this side closed after the peer; waiting for the last ACK.</summary>
        LastAck,
        /// <summary>TCP: closed by this side; the kernel keeps the 4-tuple for up to 60 s.</summary>
        TimeWait,
        /// <summary>
        /// TCP: a socket that is neither listening nor connected, only created or bound (the kernel's TCP_CLOSE,
        /// which ss shows as UNCONN; Get-NetTCPConnection calls it Bound too). Not "closed": a socket that is
        /// gone has no state at all.
        /// </summary>
        Bound,
        /// <summary>UDP: bound, with no fixed peer (what ss calls UNCONN); UNIX: neither listening nor connected.</summary>
        Unconnected,
    }

    /// <summary>Protocol of a socket: an IP transport, or a UNIX domain socket (a local socket named by a path).</summary>
    public enum SocketProtocol : long
    {
        /// <summary>Transmission Control Protocol.</summary>
        Tcp,
        /// <summary>User Datagram Protocol.</summary>
        Udp,
        /// <summary>UNIX domain socket (AF_UNIX): a local socket, named by a path or an abstract name, or unnamed.</summary>
        Unix,
    }

    /// <summary>IP version of a socket.</summary>
    public enum IPAddressFamily : long
    {
        /// <summary>IPv4 (AF_INET).</summary>
        IPv4,
        /// <summary>IPv6 (AF_INET6), including IPv4-mapped addresses on dual-stack sockets.</summary>
        IPv6,
    }

    /// <summary>Where a local endpoint can be reached from.</summary>
    public enum Exposure : long
    {
        /// <summary>Loopback address (127.0.0.0/8, ::1): only this computer can connect.</summary>
        Loopback,
        /// <summary>Wildcard address (0.0.0.0, ::): every interface, so other hosts too unless a firewall stops them.</summary>
        AllInterfaces,
        /// <summary>One specific, non-loopback address: hosts that can reach that address.</summary>
        Address,
    }

    /// <summary>The kernel timer running on a socket (ss shows it as timer:(...)).</summary>
    public enum SocketTimer : long
    {
        /// <summary>No timer is pending.</summary>
        None,
        /// <summary>Retransmission (or loss probe) timer.</summary>
        Retransmit,
        /// <summary>Keep-alive timer.</summary>
        KeepAlive,
        /// <summary>TIME_WAIT expiry: when it fires the 4-tuple is free again.</summary>
        TimeWait,
        /// <summary>Zero-window probe timer: the peer advertises no receive space.</summary>
        ZeroWindowProbe,
    }
}
