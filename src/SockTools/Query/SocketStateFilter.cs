namespace SockTools
{
    /// <summary>
    /// What -State accepts: every <see cref="SocketState"/> plus the groups ss defines.
    /// </summary>
    public enum SocketStateFilter
    {
        /// <summary>TCP listening sockets.</summary>
        Listen,
        /// <summary>TCP SYN-SENT.</summary>
        SynSent,
        /// <summary>TCP SYN-RECV, including half-open request sockets.</summary>
        SynReceived,
        /// <summary>TCP ESTABLISHED, and UDP sockets connected to one peer.</summary>
        Established,
        /// <summary>TCP FIN-WAIT-1.</summary>
        FinWait1,
        /// <summary>TCP FIN-WAIT-2.</summary>
        FinWait2,
        /// <summary>TCP CLOSE-WAIT.</summary>
        CloseWait,
        /// <summary>TCP CLOSING.</summary>
        Closing,
        /// <summary>TCP LAST-ACK.</summary>
        LastAck,
        /// <summary>TCP TIME-WAIT.</summary>
        TimeWait,
        /// <summary>TCP sockets neither listening nor connected.</summary>
        Bound,
        /// <summary>UDP sockets with no fixed peer.</summary>
        Unconnected,
        /// <summary>Group (as ss defines "connected"): every state except Listen, Bound and Unconnected.</summary>
        Connected,
        /// <summary>Group (as ss defines "synchronized"): Connected without SynSent.</summary>
        Synchronized,
        /// <summary>Group: every state.</summary>
        All,
    }
}
