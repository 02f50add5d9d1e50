namespace SockTools
{
    /// <summary>
    /// Why a port on this host is not open, as Test-SockPort finds it in the socket table (the Diagnosis property).
    /// Only for targets on this host (a loopback address or one of its own addresses) that were Refused or TimedOut.
    /// </summary>
    public enum PortDiagnosis : long // long: ConvertTo-Json writes the name (see SocketState)
    {
        /// <summary>Nothing listens on the port, on any address.</summary>
        NotListening,
        /// <summary>Something listens on the port, but bound to another address of the same IP version.</summary>
        ListeningOnOtherAddress,
        /// <summary>Something listens on the port, but only for the other IP version (IPv6 only, or IPv4 only).</summary>
        ListeningOnOtherFamily,
        /// <summary>The listener's accept queue is full: the server is alive but does not call accept(), so the kernel drops new connection requests.</summary>
        BacklogFull,
        /// <summary>A listener takes the address and has room, yet the connection went unanswered or was refused: a firewall rule drops or rejects it.</summary>
        Filtered,
    }
}
