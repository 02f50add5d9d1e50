namespace SockTools.Graph
{
    /// <summary>How the map is drawn: what a node is, which peers are left out, and which ports are ephemeral.</summary>
    internal sealed class GraphOptions
    {
        /// <summary>One node per process name on each computer, instead of one per process.</summary>
        internal bool GroupByProcessName { get; set; }

        /// <summary>Leave out connections whose peer address is a loopback address.</summary>
        internal bool ExcludeLoopback { get; set; }

        /// <summary>Leave out connections whose peer is another computer.</summary>
        internal bool ExcludeRemote { get; set; }

        /// <summary>
        /// The ports the OS gives clients (Linux: /proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default; IANA
        /// and Windows: 49152-65535). When neither end of a connection listens, the end in this range is the client.
        /// </summary>
        internal int EphemeralFirst { get; set; } = 32768;

        internal int EphemeralLast { get; set; } = 60999;

        /// <summary>Ports listening on this computer that the input may not show (read from the table by the cmdlet).</summary>
        internal ListeningPorts Listening { get; set; } = new ListeningPorts();
    }
}
