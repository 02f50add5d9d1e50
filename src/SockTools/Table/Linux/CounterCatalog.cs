using System;
using System.Collections.Generic;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The kernel counters Get-SockSummary -Counters shows by default: those that explain trouble with sockets,
    /// each with one line that says what it counts and what to do when it grows. Names as nstat prints them
    /// (group and field of /proc/net/snmp, netstat and snmp6), in the order a person reads them: connections,
    /// listeners, TIME_WAIT, resets, loss, memory, UDP. A counter an older kernel does not have is simply absent.
    /// </summary>
    internal static class CounterCatalog
    {
        /// <summary>The counters, in reading order.</summary>
        internal static readonly IReadOnlyList<(string Name, string Description)> Entries = new (string, string)[]
        {
            // Connections
            ("TcpActiveOpens", "Connections this host started (connect()): the base for TcpAttemptFails."),
            ("TcpPassiveOpens", "Connections this host's listeners accepted."),
            ("TcpAttemptFails", "Connects that failed: refused, timed out or reset in the handshake. Test the peers with Test-SockPort."),
            ("TcpEstabResets", "Established connections ended by a reset, not a close. See TcpOutRsts and TcpExtTCPAbortOn*."),

            // Listeners
            ("TcpExtListenOverflows", "Connections dropped on a full accept queue: the program accepts too slowly or its backlog is too small (Get-SockListener: RecvQ vs SendQ)."),
            ("TcpExtListenDrops", "SYNs and handshakes listeners dropped for any reason, overflows included; more than TcpExtListenOverflows: see memory."),
            ("TcpExtTCPReqQFullDrop", "SYNs dropped on a full SYN queue with SYN cookies off (net.ipv4.tcp_syncookies): a flood, or a backlog too small."),
            ("TcpExtTCPReqQFullDoCookies", "SYNs answered with a SYN cookie on a full SYN queue: a flood, or raise the backlog and net.ipv4.tcp_max_syn_backlog."),
            ("TcpExtSyncookiesSent", "SYN cookies sent: a SYN queue was full. Cookie connections lose TCP options (window scaling)."),
            ("TcpExtSyncookiesRecv", "Valid SYN cookies returned: connections made through a cookie."),
            ("TcpExtSyncookiesFailed", "ACKs with a SYN cookie that did not check out, dropped. A few are normal during a SYN flood."),

            // TIME_WAIT
            ("TcpExtTW", "TIME_WAIT sockets whose time ran out: how often this host closes first. Get-SockPortUsage shows the ports they hold."),
            ("TcpExtTCPTimeWaitOverflow", "Connections that skipped TIME_WAIT: net.ipv4.tcp_max_tw_buckets was reached (Get-SockSummary -Kernel). Raise it or reuse connections."),

            // Resets and aborts
            ("TcpOutRsts", "Resets sent: to ports nothing listens on, to unknown connections, and aborts."),
            ("TcpExtTCPAbortOnData", "Connections reset because data arrived after the program closed the socket."),
            ("TcpExtTCPAbortOnClose", "Connections reset because the program closed them with data unread."),
            ("TcpExtTCPAbortOnMemory", "Connections reset for lack of memory or too many orphans (Get-SockSummary -Kernel: Orphaned, MemoryBytes)."),
            ("TcpExtTCPAbortOnTimeout", "Connections dropped after unanswered retransmissions or keep-alives (net.ipv4.tcp_retries2): the peer or the path is gone."),
            ("TcpExtTCPAbortOnLinger", "Connections reset when the FIN-WAIT-2 time (net.ipv4.tcp_fin_timeout) or SO_LINGER ran out."),
            ("TcpExtTCPAbortFailed", "Resets the kernel could not send (no memory)."),

            // Loss
            ("TcpOutSegs", "Segments sent: the base for TcpRetransSegs."),
            ("TcpRetransSegs", "Segments sent again for lack of an ACK. Over 1-2 % of TcpOutSegs: loss or congestion on the path."),
            ("TcpExtTCPSynRetrans", "SYNs and SYN-ACKs sent again: loss, a firewall that drops, or a busy listener at the other end."),
            ("TcpExtTCPTimeouts", "Retransmission timeouts: an ACK did not come in time (loss, or a stalled peer)."),
            ("TcpExtTCPRetransFail", "Retransmissions that failed on this host: the device or its queue refused the packet."),
            ("TcpInErrs", "Segments received with errors (bad checksum): a broken card, driver or path."),

            // Memory and slow readers
            ("TcpExtTCPMemoryPressures", "Times TCP memory crossed the pressure threshold (net.ipv4.tcp_mem; Get-SockSummary -Kernel)."),
            ("TcpExtPruneCalled", "Receive queues pruned for memory: a program reads too slowly for its buffer."),
            ("TcpExtTCPRcvQDrop", "Segments dropped on a full receive buffer or TCP memory: a program reads too slowly."),
            ("TcpExtTCPBacklogDrop", "Segments dropped on a full socket backlog while its program held it busy: a slow reader or a burst."),
            ("TcpExtTCPToZeroWindowAdv", "Times this host told a peer to stop sending: a program stopped reading (RecvQ in Get-SockConnection)."),

            // UDP over IPv4 (/proc/net/snmp)
            ("UdpInDatagrams", "UDP datagrams delivered (IPv4)."),
            ("UdpOutDatagrams", "UDP datagrams sent (IPv4)."),
            ("UdpNoPorts", "UDP datagrams to a port nothing listens on (IPv4): a service is down, or a client sends to the wrong port."),
            ("UdpInErrors", "UDP datagrams not delivered (IPv4): full receive buffer (UdpRcvbufErrors), bad checksum, no memory."),
            ("UdpRcvbufErrors", "UDP datagrams dropped on a full receive buffer (IPv4): the program reads too slowly; raise SO_RCVBUF (net.core.rmem_max)."),
            ("UdpSndbufErrors", "UDP datagrams not sent: send buffer full or no memory (IPv4)."),
            ("UdpInCsumErrors", "UDP datagrams with a bad checksum (IPv4): a broken card, driver or path."),
            ("UdpMemErrors", "UDP datagrams dropped because UDP memory (net.ipv4.udp_mem) was used up (IPv4)."),

            // UDP over IPv6 (/proc/net/snmp6)
            ("Udp6InDatagrams", "UDP datagrams delivered (IPv6)."),
            ("Udp6OutDatagrams", "UDP datagrams sent (IPv6)."),
            ("Udp6NoPorts", "UDP datagrams to a port nothing listens on (IPv6): a service is down, or a client sends to the wrong port."),
            ("Udp6InErrors", "UDP datagrams not delivered (IPv6): full receive buffer (Udp6RcvbufErrors), bad checksum, no memory."),
            ("Udp6RcvbufErrors", "UDP datagrams dropped on a full receive buffer (IPv6): the program reads too slowly; raise SO_RCVBUF (net.core.rmem_max)."),
            ("Udp6SndbufErrors", "UDP datagrams not sent: send buffer full or no memory (IPv6)."),
            ("Udp6InCsumErrors", "UDP datagrams with a bad checksum (IPv6): a broken card, driver or path."),
            ("Udp6MemErrors", "UDP datagrams dropped because UDP memory (net.ipv4.udp_mem) was used up (IPv6)."),
        };

        private static readonly Dictionary<string, string> ByName = Build();

        /// <summary>The description of a counter SockTools knows, else null.</summary>
        internal static string? Describe(string name) => ByName.TryGetValue(name, out string? text) ? text : null;

        /// <summary>The protocol a counter belongs to by its group (Tcp, TcpExt; Udp, Udp6), or null (Ip, Icmp, MPTcpExt, ...).</summary>
        internal static SocketProtocol? ProtocolOf(string name)
            => name.StartsWith("Tcp", StringComparison.Ordinal) ? SocketProtocol.Tcp
                : name.StartsWith("Udp", StringComparison.Ordinal) && !name.StartsWith("UdpLite", StringComparison.Ordinal) ? SocketProtocol.Udp
                : null;

        private static Dictionary<string, string> Build()
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string name, string description) in Entries)
            {
                map.Add(name, description);
            }

            return map;
        }
    }
}
