using System.Globalization;

namespace SockTools
{
    /// <summary>
    /// One row of Get-SockSummary: how many sockets of one protocol are in one state, counted from the socket
    /// table without looking up owners. Every state the query covers has a row, zeros included, so a loop or a
    /// graph gets the same rows every time.
    /// </summary>
    public sealed class SocketStateCount
    {
        internal SocketStateCount(SocketProtocol protocol, SocketState state, int ipv4, int ipv6)
        {
            Protocol = protocol;
            State = state;
            IPv4 = ipv4;
            IPv6 = ipv6;
        }

        /// <summary>Tcp or Udp.</summary>
        public SocketProtocol Protocol { get; }

        /// <summary>The state counted.</summary>
        public SocketState State { get; }

        /// <summary>Sockets of this protocol in this state (IPv4 + IPv6).</summary>
        public int Count => IPv4 + IPv6;

        /// <summary>Of those, IPv4 sockets.</summary>
        public int IPv4 { get; }

        /// <summary>Of those, IPv6 sockets (dual-stack sockets with IPv4-mapped addresses included).</summary>
        public int IPv6 { get; }

        /// <summary>"tcp TIME-WAIT 9", in the words ss uses.</summary>
        public override string ToString()
            => (Protocol == SocketProtocol.Tcp ? "tcp " : "udp ") + SocketStateNames.Ss(State) + " " + Count.ToString(CultureInfo.InvariantCulture);
    }
}
