using System;
using System.Collections.Generic;
using System.Globalization;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Linux owners: the processes whose /proc/&lt;pid&gt;/fd links name a row's socket inode, read only as far as
    /// the query needs them. Without an owner filter the scan runs in the background and entries stream out
    /// as their owners become known, so the first object reaches the pipeline long before /proc/*/fd is read.
    /// A UNIX socket's peer is wanted by the same scan, so one pass finds the processes at both ends; the peer's
    /// owner is looked up in the scan's book only when an entry is asked for it.
    /// </summary>
    internal sealed class ProcFdOwnerLookup : IOwnerLookup
    {
        public IEnumerable<SocketEntry> Attach(SocketQuery query, List<SocketRecord> rows, TableSession session)
            => !query.IncludeOwners ? (query.FiltersOnOwner ? new List<SocketEntry>() : SocketEntryBuilder.WithoutOwners(rows))
                : query.FiltersOnOwner ? FilterByOwner(query, rows, session)
                : StreamWithOwners(rows, session);

        /// <summary>
        /// -ProcessId / -ProcessName: a socket matches when any of its owners matches. The matching processes are
        /// read first (cheap, and the end when they hold none of the rows); then every process is read for the
        /// sockets they hold, because the entry names its lowest-pid owner and lists all of them.
        /// </summary>
        private static IEnumerable<SocketEntry> FilterByOwner(SocketQuery query, List<SocketRecord> rows, TableSession session)
        {
            ITableLog log = session.Log;
            var problems = new OwnerReadProblems(); // the matching processes: what they hide is what the user asked for
            var others = new OwnerReadProblems(); // everyone else: only failures are worth a word (see below)
            var names = new ProcessNameCache(problems);
            var identity = new ProcOwnerIdentity();
            var builder = new SocketEntryBuilder(names, identity);
            List<int> candidates = Candidates(query, log);
            var matching = new OwnerScanWork(candidates, FileInodes(rows), problems);
            matching.RunOnAllCores();
            var held = new HashSet<ulong>();
            List<(int Pid, int Fd)>?[] bySlot = matching.OwnersBySlot();
            for (int slot = 0; slot < bySlot.Length; slot++)
            {
                if (bySlot[slot] is not null)
                {
                    held.Add(matching.InodeOf(slot));
                }
            }

            log.Verbose($"Owner lookup: {held.Count} socket(s) belong to the {candidates.Count} matching process(es).");
            ScanOwnerBook? book = null;
            if (held.Count > 0)
            {
                // Every process this time, up to the point where each socket has its lowest owner: a lower pid than
                // the one named may hold the same socket. Owners, when asked for, reads the rest.
                var everyone = new OwnerScanWork(ProcFdScanner.AllProcessIds(), WithPeers(held, rows, held), others);
                everyone.UseKernel();
                everyone.RunOnAllCores();
                log.Verbose($"Owner lookup: the other owners of those sockets read from {everyone.Source}.");
                book = new ScanOwnerBook(everyone, null, names, identity);
                builder.Book = book;
            }

            foreach (SocketRecord row in rows)
            {
                if (row.Inode == 0 || !held.Contains(row.Inode))
                {
                    continue;
                }

                if (book is not null && book.TryGetSlot(row.Inode, out int slot) && book.LowestOwnerOf(slot) is int lowest and > 0)
                {
                    yield return builder.Build(in row, lowest, book, slot);
                }
            }

            // Without root, other users' processes are always denied; they could only add owners to a socket a
            // matching process shares with them, so that stays a documented limit, not a warning on every call.
            ReportProblems(problems, "Sockets of the matching processes may be missing", log, "matching ");
            ReportProblems(others, null, log, string.Empty);
        }

        /// <summary>
        /// Every row, with its owner. Rows that need no lookup (no socket file) come first; the rest stream out in
        /// pid order while the scan runs (each as soon as its lowest-pid owner is certain); rows whose owner was
        /// not found come last.
        /// </summary>
        private static IEnumerable<SocketEntry> StreamWithOwners(List<SocketRecord> rows, TableSession session)
        {
            ITableLog log = session.Log;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var problems = new OwnerReadProblems();
            var names = new ProcessNameCache(problems);
            var builder = new SocketEntryBuilder(names, new ProcOwnerIdentity());
            int withFile = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                if (row.Inode == 0)
                {
                    yield return builder.Build(in row); // TIME_WAIT and request sockets: no file, no peer to look up
                }
                else
                {
                    withFile++;
                }
            }

            if (withFile == 0)
            {
                if (rows.Count > 0)
                {
                    log.Verbose("No row has a socket file (all TIME_WAIT or request sockets): no owner lookup needed.");
                }

                yield break;
            }

            List<int> candidates = ProcFdScanner.AllProcessIds();
            int missing = 0;
            using (var owners = new OwnerStream(candidates, WithPeers(FileInodes(rows), rows), names, problems, builder.Identity, withFile, useKernel: true))
            {
                // Which row each slot of the scan stands for (-1: a UNIX peer that is no row of this read): four bytes a
                // row where a dictionary from inode to row took 28, the scan's own map from inode to slot serving both.
                var rowOf = new int[owners.Count];
                for (int slot = 0; slot < rowOf.Length; slot++)
                {
                    rowOf[slot] = -1;
                }

                int wanted = 0;
                for (int i = 0; i < rows.Count; i++)
                {
                    ulong inode = rows[i].Inode;
                    if (inode != 0 && owners.TryGetSlot(inode, out int slot))
                    {
                        wanted += rowOf[slot] < 0 ? 1 : 0;
                        rowOf[slot] = i; // a socket listed twice is one entry, as the scan gives it one owner
                    }
                }

                builder.Book = owners.Book;
                var found = new bool[rowOf.Length];
                int foundCount = 0;
                foreach ((_, int slot, int pid, _) in owners.Owners())
                {
                    if (rowOf[slot] >= 0) // else a peer's owner, not a row of this read
                    {
                        found[slot] = true;
                        foundCount++;
                        yield return builder.Build(rows[rowOf[slot]], pid, owners.Book, slot);
                    }
                }

                log.Verbose($"Owner lookup: {foundCount} of {wanted} socket owners found in {candidates.Count} process(es) ({clock.ElapsedMilliseconds} ms), read from {owners.Source}.");
                for (int slot = 0; slot < rowOf.Length; slot++)
                {
                    if (rowOf[slot] >= 0 && !found[slot])
                    {
                        yield return builder.Build(rows[rowOf[slot]]); // no owner, but maybe a peer with one
                    }
                }

                missing = wanted - foundCount;
            }

            ReportProblems(problems, missing > 0 ? $"The owning process of {missing} socket(s) is unknown (ProcessId is null)" : null, log, string.Empty);
        }

        /// <summary>
        /// The warning an owner scan owes the user, once per kind: what is missing (<paramref name="missing"/>, null
        /// when nothing is) with every cause seen (denied processes, failed reads); or, when nothing is missing,
        /// reads that failed anyway, because an owner list may then be short. Processes that ended are no cause.
        /// </summary>
        private static void ReportProblems(OwnerReadProblems problems, string? missing, ITableLog log, string which)
        {
            List<int> denied = problems.DeniedProcesses();
            List<(int Pid, string Call, Errno Errno)> failed = problems.FailedProcesses();
            string failures = failed.Count == 0 ? string.Empty
                : $"reading /proc failed for {failed.Count} {which}process(es), not because they ended: {OwnerReadProblems.Describe(failed)}.";
            if (missing is not null && (denied.Count > 0 || failed.Count > 0))
            {
                string because = denied.Count > 0 ? OwnerPermissions.Explain(denied, which) : string.Empty;
                string and = because.Length > 0 && failures.Length > 0 ? " Also, " : string.Empty;
                log.Warning("OwnersHidden", $"{missing}: {because}{and}{failures}");
            }
            else if (failed.Count > 0)
            {
                log.Warning("OwnersUnreadable", $"Owner lists may be incomplete: {failures}");
            }
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

        /// <summary>
        /// The inodes of <paramref name="sockets"/> and of the peers of the UNIX sockets among <paramref name="rows"/>
        /// that are wanted: one scan then finds the processes at both ends of a connection.
        /// </summary>
        /// <param name="sockets">The wanted sockets.</param>
        /// <param name="rows">The rows of the read.</param>
        /// <param name="only">The wanted sockets as a set when they are not every row's socket: only their peers are wanted.</param>
        private static IEnumerable<ulong> WithPeers(IEnumerable<ulong> sockets, List<SocketRecord> rows, HashSet<ulong>? only = null)
        {
            foreach (SocketRecord row in rows)
            {
                if (row.Unix is { PeerInode: > 0 })
                {
                    return AndPeers(sockets, rows, only);
                }
            }

            return sockets; // no UNIX connection among the rows (every TCP and UDP read): nothing to add
        }

        /// <remarks>
        /// Repeats are left to the scan, whose map from inode to slot takes each inode once: most peers are rows too,
        /// and a set built here to drop them would be the same table twice.
        /// </remarks>
        private static IEnumerable<ulong> AndPeers(IEnumerable<ulong> sockets, List<SocketRecord> rows, HashSet<ulong>? only)
        {
            foreach (ulong inode in sockets)
            {
                yield return inode;
            }

            foreach (SocketRecord row in rows)
            {
                if (row.Inode != 0 && row.Unix is { PeerInode: > 0 } unix && (only is null || only.Contains(row.Inode)))
                {
                    yield return unix.PeerInode;
                }
            }
        }

        private static IEnumerable<ulong> FileInodes(List<SocketRecord> rows)
        {
            foreach (SocketRecord row in rows)
            {
                if (row.Inode != 0)
                {
                    yield return row.Inode;
                }
            }
        }
    }
}
