using System.Globalization;

namespace SockTools
{
    /// <summary>
    /// One row of Get-SockSummary -Kernel: what the kernel itself counts for one protocol (Linux
    /// /proc/net/sockstat and sockstat6, with the limits from /proc/sys/net/ipv4), the figures a dump of the
    /// table cannot know: orphaned sockets, socket memory, TIME_WAIT as the kernel counts it. A figure the kernel
    /// does not give for this protocol (UDP has no orphans) or that could not be read is null.
    /// </summary>
    public sealed class KernelSocketStat
    {
        internal KernelSocketStat(
            SocketProtocol protocol,
            long? ipv4,
            long? ipv6,
            long? orphaned,
            long? orphanLimit,
            long? timeWait,
            long? timeWaitLimit,
            long? allocated,
            long? memoryBytes,
            long? memoryPressureBytes,
            long? memoryLimitBytes)
        {
            Protocol = protocol;
            IPv4 = ipv4;
            IPv6 = ipv6;
            Orphaned = orphaned;
            OrphanLimit = orphanLimit;
            TimeWait = timeWait;
            TimeWaitLimit = timeWaitLimit;
            Allocated = allocated;
            MemoryBytes = memoryBytes;
            MemoryPressureBytes = memoryPressureBytes;
            MemoryLimitBytes = memoryLimitBytes;
        }

        /// <summary>Tcp or Udp.</summary>
        public SocketProtocol Protocol { get; }

        /// <summary>Sockets in use in this network namespace (IPv4 + IPv6; TCP without TIME_WAIT); null when neither was read.</summary>
        public long? InUse => IPv4 is null && IPv6 is null ? null : (IPv4 ?? 0) + (IPv6 ?? 0);

        /// <summary>IPv4 sockets in use in this network namespace (sockstat "inuse").</summary>
        public long? IPv4 { get; }

        /// <summary>IPv6 sockets in use in this network namespace (sockstat6 "inuse"); null where IPv6 is off.</summary>
        public long? IPv6 { get; }

        /// <summary>TCP: sockets no process holds any more that still send or wait for the last data (whole system).</summary>
        public long? Orphaned { get; }

        /// <summary>TCP: net.ipv4.tcp_max_orphans; beyond it the kernel resets orphans ("too many orphaned sockets").</summary>
        public long? OrphanLimit { get; }

        /// <summary>
        /// TCP: sockets in TIME_WAIT as the kernel counts them (this network namespace), with the closed connections it
        /// keeps as TIME_WAIT sockets in FIN-WAIT-2 (which the table shows as FinWait2).
        /// </summary>
        public long? TimeWait { get; }

        /// <summary>TCP: net.ipv4.tcp_max_tw_buckets; beyond it closing connections skip TIME_WAIT (counter TcpExtTCPTimeWaitOverflow).</summary>
        public long? TimeWaitLimit { get; }

        /// <summary>TCP: sockets allocated, in every state and every network namespace (whole system).</summary>
        public long? Allocated { get; }

        /// <summary>Memory the protocol's socket buffers hold, in bytes (whole system; the kernel counts pages).</summary>
        public long? MemoryBytes { get; }

        /// <summary>The second value of net.ipv4.tcp_mem (udp_mem), in bytes: above it the protocol saves memory (smaller buffers).</summary>
        public long? MemoryPressureBytes { get; }

        /// <summary>The third value of net.ipv4.tcp_mem (udp_mem), in bytes: above it the protocol refuses memory and drops data.</summary>
        public long? MemoryLimitBytes { get; }

        /// <summary>"tcp inuse 12 orphan 0 tw 9 mem 241664", in the words of /proc/net/sockstat.</summary>
        public override string ToString()
        {
            var text = new System.Text.StringBuilder(Protocol == SocketProtocol.Tcp ? "tcp" : "udp");
            Append(text, "inuse", InUse);
            Append(text, "orphan", Orphaned);
            Append(text, "tw", TimeWait);
            Append(text, "mem", MemoryBytes);
            return text.ToString();
        }

        private static void Append(System.Text.StringBuilder text, string name, long? value)
        {
            if (value is long known)
            {
                text.Append(' ').Append(name).Append(' ').Append(known.ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
