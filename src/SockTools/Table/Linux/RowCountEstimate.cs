using System;
using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// How many rows a whole-table read will bring, from the kernel's own counts (/proc/net/sockstat and sockstat6:
    /// sockets in use per protocol and family, and TIME_WAIT), so the row list is allocated once at its size rather
    /// than grown by doubling: at 500,000 sockets growing copies the whole table again and, while it copies, holds
    /// both the old and the new array (half again the table's memory at the peak).
    /// </summary>
    /// <remarks>
    /// Only for queries that read most of the table (every connected state, no port or address filter): a listener
    /// query on a busy host must not reserve room for half a million connections. The counts are a size hint, never
    /// a result; a file that cannot be read just means no hint.
    /// </remarks>
    internal static class RowCountEstimate
    {
        // Sockets open or close between the count and the dump; a little headroom spares one growth step.
        private const int Headroom = 64;

        /// <summary>Makes room in <paramref name="rows"/> for the rows <paramref name="query"/> will likely bring.</summary>
        /// <remarks>
        /// With -AllNetworkNamespaces one list takes the rows of every namespace, read one after another: the room is
        /// made for this namespace's rows after those already in the list.
        /// </remarks>
        internal static void Reserve(SocketQuery query, List<SocketRecord> rows)
        {
            int expected = For(query);
            if (expected > 0 && rows.Count + expected > rows.Capacity)
            {
                // A list lent again (RowListPool) that is a little short grows with slack, so a table that grows a few
                // sockets between reads does not cost a new list every read.
                int slack = rows.Capacity > 0 ? expected / 16 : 0;
                rows.Capacity = rows.Count + expected + slack;
            }
        }

        /// <summary>The expected number of rows, or 0 when the query reads too little of the table to guess.</summary>
        internal static int For(SocketQuery query)
        {
            if (!ReadsMostOfTheTable(query))
            {
                return 0;
            }

            var figures = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string file in new[] { "sockstat", "sockstat6" })
            {
                // thread-self: the namespace of the thread reading (a namespace's dedicated thread sees its own).
                if (SmallFile.TryRead("/proc/thread-self/net/" + file, out string? text, out _) && text is not null)
                {
                    SockstatParser.Parse(text, figures);
                }
            }

            return Count(query, figures);
        }

        /// <summary>The expected rows from sockstat figures ("TCP inuse", "TCP6 inuse", "TCP tw", "UDP inuse", ...).</summary>
        internal static int Count(SocketQuery query, IReadOnlyDictionary<string, long> figures)
        {
            long Figure(string key) => figures.TryGetValue(key, out long value) && value > 0 ? value : 0;

            long expected = 0;
            if (query.IncludeTcp)
            {
                expected += (query.IncludeIPv4 ? Figure("TCP inuse") : 0) + (query.IncludeIPv6 ? Figure("TCP6 inuse") : 0) + Figure("TCP tw");
            }

            if (query.IncludeUdp)
            {
                expected += (query.IncludeIPv4 ? Figure("UDP inuse") : 0) + (query.IncludeIPv6 ? Figure("UDP6 inuse") : 0);
            }

            return expected == 0 ? 0 : (int)Math.Min(expected + Headroom, 16_000_000);
        }

        private static bool ReadsMostOfTheTable(SocketQuery query)
            => (KernelStates.MaskFor(query, SocketProtocol.Tcp) & KernelStates.Bit(KernelStates.Established)) != 0
               && query.LocalPorts is null && query.RemotePorts is null && query.AnyPorts is null
               && query.LocalAddresses is null && query.RemoteAddresses is null && query.Exposures is null;
    }
}
