using System;
using System.Collections.Generic;
using System.Linq;
using SockTools.Interop.MacOS;
using SockTools.Query;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// macOS owners: the processes whose open socket descriptors (proc_pidinfo PROC_PIDLISTFDS, then
    /// proc_pidfdinfo PROC_PIDFDSOCKETINFO for each) name a row's socket. They are matched by the socket's opaque
    /// handle: soi_so there, xso_so in pcblist_n, both the same kernel socket address hashed the same way
    /// (VM_KERNEL_ADDRHASH, VM_KERNEL_ADDRPERM before xnu-11215), so equal exactly for the same live socket. It
    /// names the socket itself, which is what a descriptor holds; so_pcb would name the protocol block, which a
    /// socket can outlive. Without root only the user's own processes can be read: the others are counted in one
    /// warning. A user-space (Skywalk) flow has no descriptor: its process comes from the table.
    /// </summary>
    internal sealed class MacFdOwnerLookup : IOwnerLookup
    {
        private readonly Func<IMacProcesses> _open;

        internal MacFdOwnerLookup(Func<IMacProcesses> open) => _open = open;

        public IEnumerable<SocketEntry> Attach(SocketQuery query, List<SocketRecord> rows, TableSession session)
        {
            IMacProcesses processes = _open();
            ITableLog log = session.Log;
            List<int> everyone = processes.AllProcessIds();
            List<SocketRecord> wanted = rows;
            var matchingProblems = new OwnerScanProblems();
            if (query.FiltersOnOwner)
            {
                HashSet<int> candidates = Candidates(query, everyone, processes);
                var held = new HashSet<ulong>(Scan(processes, candidates.OrderBy(p => p), Handles(rows), matchingProblems).Keys);
                wanted = rows.Where(r => r.SocketHandle != 0 ? held.Contains(r.SocketHandle) : r.ProcessId > 0 && candidates.Contains(r.ProcessId)).ToList();
                log.Verbose($"Owner lookup: {wanted.Count} socket(s) belong to the {candidates.Count} matching process(es).");
                // What the matching processes hide is what the user asked for: any of it is worth the warning.
                matchingProblems.Report(matchingProblems.DeniedCount + matchingProblems.FailedCount, "Sockets of the matching processes may be missing", log);
            }

            // Every process now: a lower pid may hold the same socket too.
            var known = new Dictionary<ulong, SocketOwnerList>();
            var unknown = new HashSet<ulong>();
            foreach (SocketRecord row in wanted)
            {
                if (row.SocketHandle == 0)
                {
                    continue;
                }

                unknown.Add(row.SocketHandle);
            }

            var problems = new OwnerScanProblems();
            if (unknown.Count > 0)
            {
                foreach (KeyValuePair<ulong, List<(int Pid, int Fd)>> found in Scan(processes, everyone, unknown, problems))
                {
                    known[found.Key] = new SocketOwnerList(found.Value
                        .OrderBy(o => o.Pid).ThenBy(o => o.Fd)
                        .Select(o => new SocketHolder(o.Pid, processes.NameOf(o.Pid), o.Fd)).ToArray());
                }
            }

            log.Verbose($"Owner lookup: {unknown.Count} socket(s) looked for in {everyone.Count} process(es).");
            var builder = new OwnedEntryBuilder();
            int missing = 0;
            foreach (SocketRecord row in wanted)
            {
                SocketOwnerList? owners = null;
                if (row.SocketHandle != 0)
                {
                    if (!known.TryGetValue(row.SocketHandle, out owners))
                    {
                        missing++;
                    }
                }
                else if (row.ProcessId > 0)
                {
                    owners = new SocketOwnerList(new[] { new SocketHolder(row.ProcessId, processes.NameOf(row.ProcessId), null) });
                }

                string? user = (row.Unseen & UnseenFields.UserId) == 0 ? processes.UserNameOf(row.Uid) : null;
                yield return builder.Build(in row, owners, user);
            }

            problems.Report(query.FiltersOnOwner ? 0 : missing, "The owning process of {0} socket(s) is unknown (ProcessId is null)", log);
        }

        /// <summary>The processes a filter names: the given pids, or those whose name matches.</summary>
        private static HashSet<int> Candidates(SocketQuery query, List<int> everyone, IMacProcesses processes)
        {
            if (query.ProcessIds is not null)
            {
                return new HashSet<int>(query.ProcessIds);
            }

            var named = new HashSet<int>();
            foreach (int pid in everyone)
            {
                if (processes.NameOf(pid) is string name && query.ProcessNameMatch!(name))
                {
                    named.Add(pid);
                }
            }

            return named;
        }

        /// <summary>For each of <paramref name="handles"/> held by one of <paramref name="pids"/>: who holds it, by which descriptor.</summary>
        private static Dictionary<ulong, List<(int Pid, int Fd)>> Scan(IMacProcesses processes, IEnumerable<int> pids, HashSet<ulong> handles, OwnerScanProblems problems)
        {
            var found = new Dictionary<ulong, List<(int, int)>>();
            foreach (int pid in pids)
            {
                List<int>? fds = processes.SocketDescriptors(pid, out MacErrno errno);
                if (fds is null)
                {
                    problems.Note(pid, "proc_pidinfo(PROC_PIDLISTFDS)", errno);
                    continue;
                }

                foreach (int fd in fds)
                {
                    ulong handle = processes.SocketHandleOf(pid, fd, out errno);
                    if (handle == 0)
                    {
                        problems.Note(pid, "proc_pidfdinfo(PROC_PIDFDSOCKETINFO)", errno);
                    }
                    else if (handles.Contains(handle))
                    {
                        if (!found.TryGetValue(handle, out List<(int, int)>? holders))
                        {
                            holders = new List<(int, int)>();
                            found.Add(handle, holders);
                        }

                        holders.Add((pid, fd));
                    }
                }
            }

            return found;
        }

        private static HashSet<ulong> Handles(List<SocketRecord> rows)
        {
            var handles = new HashSet<ulong>();
            foreach (SocketRecord row in rows)
            {
                if (row.SocketHandle != 0)
                {
                    handles.Add(row.SocketHandle);
                }
            }

            return handles;
        }
    }
}
