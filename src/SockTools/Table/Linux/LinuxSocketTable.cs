using System;
using System.Collections.Generic;
using System.Globalization;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Linux: rows from netlink sock_diag (or /proc/net when netlink is unavailable or asked for),
    /// owners from /proc/&lt;pid&gt;/fd, only as far as the query needs them.
    /// </summary>
    internal static class LinuxSocketTable
    {
        private static readonly ISocketTableReader Netlink = new NetlinkSocketReader();
        private static readonly ISocketTableReader Proc = new ProcNetReader();

        // Once netlink has failed in this process, do not pay for the failure again.
        private static volatile bool _netlinkUnavailable;

        /// <summary>
        /// Reads the rows now (so read failures surface here), then builds entries lazily. Without a process
        /// filter the owner scan runs in the background and entries stream out as their owners become known,
        /// so the first object reaches the pipeline long before /proc/*/fd is fully read.
        /// </summary>
        internal static IEnumerable<SocketEntry> Read(SocketQuery query, ITableLog log)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = new List<SocketRecord>();
            ISocketTableReader reader = ReadRows(query, rows, log);
            log.Verbose($"{rows.Count} socket(s) match the filters ({clock.ElapsedMilliseconds} ms).");
            if (query.IncludeTcpInfo && reader == Proc)
            {
                log.Verbose("TCP internals need netlink sock_diag: those properties stay empty.");
            }

            if (query.FiltersOnOwner)
            {
                return FilterByOwner(query, rows, log);
            }

            return StreamWithOwners(query, rows, log);
        }

        /// <summary>Reads with the reader SOCKTOOLS_READER names, or netlink falling back to /proc; returns the one used.</summary>
        private static ISocketTableReader ReadRows(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            string choice = (Environment.GetEnvironmentVariable(SocketTable.ReaderVariable) ?? "auto").Trim().ToLowerInvariant();
            switch (choice)
            {
                case "proc":
                    log.Verbose($"Reading /proc/net ({SocketTable.ReaderVariable}=proc).");
                    Proc.Read(query, rows);
                    return Proc;
                case "netlink":
                    log.Verbose($"Reading with netlink sock_diag ({SocketTable.ReaderVariable}=netlink; no fallback).");
                    Netlink.Read(query, rows);
                    return Netlink;
                case "auto":
                case "":
                    break;
                default:
                    log.Warning("ReaderUnknown", $"{SocketTable.ReaderVariable}='{choice}' is not a reader; use 'netlink', 'proc' or 'auto'. Using auto.");
                    break;
            }

            if (!_netlinkUnavailable)
            {
                try
                {
                    log.Verbose($"Reading with netlink sock_diag (TCP states 0x{query.TcpStateMask:X}, UDP states 0x{query.UdpStateMask:X}).");
                    Netlink.Read(query, rows);
                    return Netlink;
                }
                catch (Exception e) when (e is NativeCallException || e is NetlinkErrorException || e is SocketTableFormatException || e is DllNotFoundException)
                {
                    _netlinkUnavailable = true;
                    rows.Clear();
                    log.Verbose($"Netlink sock_diag is unavailable ({e.Message}); falling back to /proc/net for this and later calls.");
                }
            }
            else
            {
                log.Verbose("Netlink sock_diag failed earlier in this session; reading /proc/net.");
            }

            Proc.Read(query, rows);
            return Proc;
        }

        /// <summary>
        /// -ProcessId / -ProcessName: reads only the matching processes (cheap, so in one go) and keeps the
        /// rows they own.
        /// </summary>
        private static IEnumerable<SocketEntry> FilterByOwner(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            var wanted = new HashSet<ulong>();
            foreach (SocketRecord row in rows)
            {
                if (row.Inode != 0)
                {
                    wanted.Add(row.Inode);
                }
            }

            List<int> candidates = Candidates(query, log);
            OwnerScan scan = ProcFdScanner.Scan(candidates, wanted);
            log.Verbose($"Owner lookup: {scan.ProcessByInode.Count} socket(s) belong to the {candidates.Count} matching process(es).");
            if (scan.DeniedProcesses.Count > 0)
            {
                log.Warning("OwnersDenied", $"Sockets of {scan.DeniedProcesses.Count} matching process(es) cannot be identified: {Pids(scan.DeniedProcesses)} belong to other users, and only root can read their /proc/<pid>/fd. Run as root (sudo) to include them.");
            }

            var builder = new SocketEntryBuilder(null);
            foreach (SocketRecord row in rows)
            {
                if (scan.ProcessByInode.TryGetValue(row.Inode, out int pid))
                {
                    yield return builder.Build(in row, pid);
                }
            }
        }

        /// <summary>
        /// Every row, with its owner. Rows that need no lookup (no socket file, or an owner a watch already
        /// knows) come first; the rest stream out in pid order while the scan runs; rows whose owner was not
        /// found come last, with one warning when other users' processes hid them.
        /// </summary>
        private static IEnumerable<SocketEntry> StreamWithOwners(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var builder = new SocketEntryBuilder(query.OwnerCache);
            var waiting = new Dictionary<ulong, int>(); // inode -> row index
            int known = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                if (row.Inode == 0)
                {
                    yield return builder.Build(in row, null);
                }
                else if (query.OwnerCache is not null && query.OwnerCache.TryGetProcess(row.Inode, out int cached))
                {
                    known++;
                    yield return builder.Build(in row, cached);
                }
                else
                {
                    waiting[row.Inode] = i;
                }
            }

            if (waiting.Count == 0)
            {
                log.Verbose(known == 0
                    ? "No row has a socket file (all TIME_WAIT or request sockets): no owner lookup needed."
                    : $"All {known} socket owners are known from the previous read: no owner lookup needed.");
                builder.Finish();
                yield break;
            }

            List<int> candidates = Candidates(query, log);
            int wanted = waiting.Count;
            OwnerScan scan;
            using (var owners = new OwnerStream(candidates, new HashSet<ulong>(waiting.Keys)))
            {
                foreach ((ulong inode, int pid) in owners.Owners())
                {
                    int index = waiting[inode];
                    waiting.Remove(inode);
                    yield return builder.Build(rows[index], pid);
                }

                scan = owners.Result();
            }

            log.Verbose($"Owner lookup: {wanted - waiting.Count} of {wanted} socket owners found in {candidates.Count} process(es) ({clock.ElapsedMilliseconds} ms).");
            foreach (int index in waiting.Values)
            {
                yield return builder.Build(rows[index], null);
            }

            if (waiting.Count > 0 && scan.DeniedProcesses.Count > 0)
            {
                log.Warning("OwnersHidden", $"The owning process of {waiting.Count} socket(s) is hidden (ProcessId is null): {scan.DeniedProcesses.Count} process(es) belong to other users, and only root can read their /proc/<pid>/fd. Run as root (sudo) to see every owner.");
            }

            builder.Finish();
        }

        private static List<int> Candidates(SocketQuery query, ITableLog log)
        {
            if (query.ProcessIds is not null)
            {
                var pids = new List<int>(query.ProcessIds);
                pids.Sort();
                return pids;
            }

            List<int> all = ProcFdScanner.AllProcessIds();
            if (query.ProcessNameMatch is null)
            {
                return all;
            }

            var named = new List<int>();
            foreach (int pid in all)
            {
                string? name = ProcessNames.Read(pid);
                if (name is not null && query.ProcessNameMatch(name))
                {
                    named.Add(pid);
                }
            }

            log.Verbose($"{named.Count} process(es) match the process name filter.");
            return named;
        }

        /// <summary>Entries for rows whose owner cannot be known (sockets already destroyed).</summary>
        internal static List<SocketEntry> WithoutOwners(List<SocketRecord> rows)
        {
            var builder = new SocketEntryBuilder(null);
            var entries = new List<SocketEntry>(rows.Count);
            foreach (SocketRecord row in rows)
            {
                entries.Add(builder.Build(in row, null));
            }

            return entries;
        }

        private static string Pids(List<int> pids)
        {
            var shown = pids.Count <= 10 ? pids : pids.GetRange(0, 10);
            string list = string.Join(", ", shown.ConvertAll(p => p.ToString(CultureInfo.InvariantCulture)));
            return pids.Count <= 10 ? "process " + list : $"processes {list} and {pids.Count - 10} more";
        }
    }
}
