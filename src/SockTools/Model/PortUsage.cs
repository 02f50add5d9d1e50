using System.Globalization;

namespace SockTools
{
    /// <summary>
    /// One row of Get-SockPortUsage: one destination this host connects to (protocol, local address, remote
    /// address and port), how many local ports of the ephemeral range its sockets hold, and how many are left
    /// for new connections to it. The kernel needs each 4-tuple to be unique, so each destination has the whole
    /// range to itself: another remote port or address starts from zero again.
    /// </summary>
    public sealed class PortUsage
    {
        internal PortUsage(SocketProtocol protocol, string localAddress, string remoteAddress, int remotePort, int inUse, int timeWait, int rangeSize)
        {
            Protocol = protocol;
            LocalAddress = localAddress;
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
            InUse = inUse;
            TimeWait = timeWait;
            RangeSize = rangeSize;
        }

        /// <summary>Tcp.</summary>
        public SocketProtocol Protocol { get; }

        /// <summary>The local address the connections come from (IPv4-mapped addresses as IPv4).</summary>
        public string LocalAddress { get; }

        /// <summary>The address connected to (IPv4-mapped addresses as IPv4).</summary>
        public string RemoteAddress { get; }

        /// <summary>The port connected to.</summary>
        public int RemotePort { get; }

        /// <summary>Sockets to this destination that hold a local port of the ephemeral range, TIME_WAIT included.</summary>
        public int InUse { get; }

        /// <summary>Of those, sockets in TIME_WAIT: closed, their port free again when the timer ends.</summary>
        public int TimeWait { get; }

        /// <summary>Ports in the ephemeral range (net.ipv4.ip_local_port_range) less the reserved ones (ip_local_reserved_ports).</summary>
        public int RangeSize { get; }

        /// <summary>Ports of the range left for new connections to this destination.</summary>
        public int Available => RangeSize > InUse ? RangeSize - InUse : 0;

        /// <summary>
        /// InUse as a percentage of RangeSize, cut (not rounded) to one decimal, so 100 means no port is left; 100
        /// when the range is empty.
        /// </summary>
        public double PercentUsed => RangeSize <= 0 || InUse >= RangeSize ? 100 : System.Math.Floor(1000.0 * InUse / RangeSize) / 10;

        /// <summary>"127.0.0.1 -> 127.0.0.1:7000 10 of 10 (100 %)".</summary>
        public override string ToString()
            => LocalAddress + " -> " + SocketEntry.FormatEndpoint(RemoteAddress, RemotePort, true) + " "
               + InUse.ToString(CultureInfo.InvariantCulture) + " of " + RangeSize.ToString(CultureInfo.InvariantCulture)
               + " (" + PercentUsed.ToString("0.#", CultureInfo.InvariantCulture) + " %)";
    }
}
