using System.Collections.Generic;
using System.IO;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads /proc/net/{tcp,tcp6,udp,udp6,unix}: the fallback where netlink sock_diag is unavailable
    /// (old or locked-down kernels, seccomp). The kernel cannot filter here, so the query does.
    /// </summary>
    internal sealed class ProcNetReader
    {
        private static readonly (SocketProtocol Protocol, bool IsV6, string Name)[] Files =
        {
            (SocketProtocol.Tcp, false, "tcp"),
            (SocketProtocol.Tcp, true, "tcp6"),
            (SocketProtocol.Udp, false, "udp"),
            (SocketProtocol.Udp, true, "udp6"),
        };

        /// <summary>
        /// The tables of the reading thread's network namespace. /proc/net is a link to /proc/self/net, the namespace of
        /// the process's main thread; a thread SockTools moved into another namespace finds its own through thread-self.
        /// </summary>
        internal static string Directory => LinuxNetworkNamespace.IsThisThreadMoved ? "/proc/thread-self/net/" : "/proc/net/";

        internal void Read(SocketQuery query, List<SocketRecord> sink)
        {
            foreach (var file in Files)
            {
                bool familyWanted = file.IsV6 ? query.IncludeIPv6 : query.IncludeIPv4;
                if (KernelStates.MaskFor(query, file.Protocol) == 0 || !familyWanted)
                {
                    continue;
                }

                ReadFile(Directory + file.Name, file.Protocol, file.IsV6, query, sink);
            }

            if (KernelStates.MaskFor(query, SocketProtocol.Unix) != 0)
            {
                ReadUnixFile(Directory + "unix", query, sink);
            }
        }

        /// <summary>
        /// Reads /proc/net/unix. A line that is not a socket line (but the header) continues the name of the socket
        /// before it (a name may hold a newline), so the name is joined whole before the row is filtered.
        /// </summary>
        internal static void ReadUnixFile(string path, SocketQuery? query, List<SocketRecord> sink)
        {
            using var lines = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096));
            SocketRecord pending = default;
            bool hasPending = false;

            // Printed a page at a time like the inet tables, so a socket can come twice: its inode makes it one row.
            var seen = new HashSet<ulong>();
            string? line;
            while ((line = lines.ReadLine()) != null)
            {
                if (!UnixProcNetParser.IsSocketLine(line))
                {
                    // The header, or the rest of a name with a newline in it (dropped with its row when that was skipped).
                    if (hasPending)
                    {
                        pending = UnixProcNetParser.WithNameContinued(pending, line);
                    }

                    continue;
                }

                Add(ref pending, ref hasPending, query, seen, sink);
                hasPending = UnixProcNetParser.TryParseLine(line, out pending);
            }

            Add(ref pending, ref hasPending, query, seen, sink);
        }

        private static void Add(ref SocketRecord pending, ref bool hasPending, SocketQuery? query, HashSet<ulong> seen, List<SocketRecord> sink)
        {
            if (hasPending && (query is null || query.Matches(in pending)) && seen.Add(pending.Inode))
            {
                sink.Add(pending);
            }

            hasPending = false;
        }

        /// <summary>
        /// Reads one table. Only an IPv6 table may be missing (IPv6 compiled out or disabled at boot); any other
        /// failure, also of a file that exists but cannot be read, is an error: a table that silently reads as
        /// empty would drop its sockets from the answer.
        /// </summary>
        internal static void ReadFile(string path, SocketProtocol protocol, bool isV6, SocketQuery? query, List<SocketRecord> sink)
        {
            StreamReader reader;
            try
            {
                reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096));
            }
            catch (FileNotFoundException) when (isV6)
            {
                return;
            }

            using var lines = reader;

            // The kernel prints these files a page at a time, finding its place again by position: when sockets come
            // and go between two reads, a socket can be printed twice. The same socket twice is one row.
            var seen = new HashSet<(AddressValue, ushort, AddressValue, ushort, SocketState, ulong)>();
            string? line;
            while ((line = lines.ReadLine()) != null)
            {
                if (line.Length == 0 || ProcNetParser.IsHeader(line))
                {
                    continue;
                }

                SocketRecord row = ProcNetParser.ParseLine(line, protocol, isV6);
                if ((query is null || query.Matches(in row)) && seen.Add((row.LocalAddress, row.LocalPort, row.RemoteAddress, row.RemotePort, row.State, row.Inode)))
                {
                    sink.Add(row);
                }
            }
        }
    }
}
