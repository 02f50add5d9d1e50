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
        /// Reads rows and resolves owners now (so read failures surface here), then builds entries lazily:
        /// the first object reaches the pipeline before the last one is made.
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


            clock.Restart();
            Dictionary<ulong, int>? owners = ResolveOwners(query, rows, log);
            log.Verbose($"Owners resolved in {clock.ElapsedMilliseconds} ms.");
            return BuildEntries(rows, owners, query.FiltersOnOwner ? null : query.OwnerCache);
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
        /// Looks up owners only when needed: to filter by process, or to name owners of rows that have a
        /// socket file. With a process filter only those processes are read, and rows they do not own go.
        /// </summary>
        private static Dictionary<ulong, int>? ResolveOwners(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            if (!query.ResolveOwners && !query.FiltersOnOwner)
            {
                return null;
            }

            OwnerCache? cache = query.FiltersOnOwner ? null : query.OwnerCache;
            var known = new Dictionary<ulong, int>();
            var wanted = new HashSet<ulong>();
            foreach (SocketRecord row in rows)
            {
                if (row.Inode == 0)
                {
                    continue;
                }

                if (cache is not null && cache.TryGetProcess(row.Inode, out int cachedPid))
                {
                    known[row.Inode] = cachedPid;
                }
                else
                {
                    wanted.Add(row.Inode);
                }
            }

            if (wanted.Count == 0 && !query.FiltersOnOwner)
            {
                log.Verbose(known.Count == 0
                    ? "No row has a socket file (all TIME_WAIT or request sockets): no owner lookup needed."
                    : $"All {known.Count} socket owners are known from the previous read: no owner lookup needed.");
                return known;
            }

            List<int> candidates = Candidates(query, log);
            OwnerScan scan = ProcFdScanner.Scan(candidates, wanted);
            log.Verbose($"Owner lookup: {scan.ProcessByInode.Count} of {wanted.Count} socket owners found in {candidates.Count} process(es).");
            foreach (KeyValuePair<ulong, int> pair in known)
            {
                scan.ProcessByInode[pair.Key] = pair.Value;
            }

            if (query.FiltersOnOwner)
            {
                rows.RemoveAll(row => !scan.ProcessByInode.ContainsKey(row.Inode));
                if (scan.DeniedProcesses.Count > 0)
                {
                    log.Warning("OwnersDenied", $"Sockets of {scan.DeniedProcesses.Count} matching process(es) cannot be identified: {Pids(scan.DeniedProcesses)} belong to other users, and only root can read their /proc/<pid>/fd. Run as root (sudo) to include them.");
                }

                return scan.ProcessByInode;
            }

            if (scan.DeniedProcesses.Count > 0)
            {
                int hidden = 0;
                foreach (SocketRecord row in rows)
                {
                    if (row.Inode != 0 && !scan.ProcessByInode.ContainsKey(row.Inode))
                    {
                        hidden++;
                    }
                }

                if (hidden > 0)
                {
                    log.Warning("OwnersHidden", $"The owning process of {hidden} socket(s) is hidden (ProcessId is null): {scan.DeniedProcesses.Count} process(es) belong to other users, and only root can read their /proc/<pid>/fd. Run as root (sudo) to see every owner.");
                }
            }

            return scan.ProcessByInode;
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

        private static IEnumerable<SocketEntry> BuildEntries(List<SocketRecord> rows, Dictionary<ulong, int>? owners, OwnerCache? cache)
        {
            var addressText = new Dictionary<AddressValue, string>();
            var names = new Dictionary<int, string?>();
            var seen = cache is null ? null : new Dictionary<ulong, int>();
            foreach (SocketRecord row in rows)
            {
                int? pid = null;
                string? processName = null;
                if (owners is not null && row.Inode != 0 && owners.TryGetValue(row.Inode, out int owner))
                {
                    pid = owner;
                    if (seen is not null)
                    {
                        seen[row.Inode] = owner;
                    }
                    if (!names.TryGetValue(owner, out processName))
                    {
                        if (cache is null || !cache.TryGetName(owner, out processName))
                        {
                            processName = ProcessNames.Read(owner);
                        }

                        names.Add(owner, processName);
                    }
                }

                string? user = row.Inode != 0 ? UserNames.Lookup(row.Uid) : null;
                yield return new SocketEntry(in row, Text(addressText, row.LocalAddress), Text(addressText, row.RemoteAddress), pid, processName, user);
            }

            if (cache is not null && seen is not null)
            {
                cache.Replace(seen, names);
            }
        }

        /// <summary>Entries for rows whose owner cannot be known (sockets already destroyed).</summary>
        internal static List<SocketEntry> WithoutOwners(List<SocketRecord> rows) => new List<SocketEntry>(BuildEntries(rows, null, null));

        /// <summary>Formats each distinct address once per call: thousands of rows share a few addresses.</summary>
        private static string Text(Dictionary<AddressValue, string> cache, AddressValue address)
        {
            if (!cache.TryGetValue(address, out string? text))
            {
                text = address.ToString();
                cache.Add(address, text);
            }

            return text;
        }

        private static string Pids(List<int> pids)
        {
            var shown = pids.Count <= 10 ? pids : pids.GetRange(0, 10);
            string list = string.Join(", ", shown.ConvertAll(p => p.ToString(CultureInfo.InvariantCulture)));
            return pids.Count <= 10 ? "process " + list : $"processes {list} and {pids.Count - 10} more";
        }
    }
}
