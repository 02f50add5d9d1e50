using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SockTools.Interop.Windows;
using SockTools.Query;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// Windows owners: the table itself names each socket's process, so an owner costs a name (one process
    /// snapshot per read) and, once per pid, the account it runs as. Applies -ProcessId and -ProcessName. A
    /// process whose account may not be read leaves UserName null, and one warning per call says how many
    /// and why. Windows names one process per socket, without a handle number, so Owners holds that one.
    /// </summary>
    internal sealed class WindowsOwnerLookup : IOwnerLookup
    {
        private readonly Func<IWindowsProcesses> _open;

        internal WindowsOwnerLookup(Func<IWindowsProcesses> open) => _open = open;

        public IEnumerable<SocketEntry> Attach(SocketQuery query, List<SocketRecord> rows, TableSession session)
        {
            IWindowsProcesses processes = _open();
            var builder = new OwnedEntryBuilder();
            var accounts = new Dictionary<int, AccountLookup>();
            foreach (SocketRecord row in rows)
            {
                int pid = row.ProcessId;
                if (pid <= 0)
                {
                    // Pid 0 (System Idle) is nobody: TIME_WAIT and sockets whose program let go. No owner to match.
                    if (!query.FiltersOnOwner)
                    {
                        yield return builder.Build(in row, null, null);
                    }

                    continue;
                }

                if (query.ProcessIds is not null && !query.ProcessIds.Contains(pid))
                {
                    continue;
                }

                string? name = processes.NameOf(pid);
                if (query.ProcessNameMatch is not null && (name is null || !query.ProcessNameMatch(name)))
                {
                    continue;
                }

                if (!accounts.TryGetValue(pid, out AccountLookup account))
                {
                    account = processes.AccountOf(pid);
                    accounts.Add(pid, account);
                }

                var owners = new SocketOwnerList(new[] { new SocketHolder(pid, name, null) });
                yield return builder.Build(in row, owners, account.Name);
            }

            session.Log.Verbose($"Owners: {accounts.Count} process(es) named by the table.");
            Report(accounts, session.Log);
        }

        /// <summary>One warning per kind: accounts denied (expected without elevation), and other failures (never expected).</summary>
        internal static void Report(Dictionary<int, AccountLookup> accounts, ITableLog log)
        {
            List<int> denied = accounts.Where(a => a.Value.Denied).Select(a => a.Key).OrderBy(p => p).ToList();
            List<KeyValuePair<int, AccountLookup>> failed = accounts
                .Where(a => a.Value.FailedCall is not null && !a.Value.Denied && !a.Value.Gone)
                .OrderBy(a => a.Key).ToList();
            if (denied.Count > 0)
            {
                log.Warning("UsersHidden", $"The user of {denied.Count} process(es) ({Pids(denied)}) is unknown (UserName is null): Windows denied reading their access token. Run PowerShell as Administrator to see more of them; protected system processes may stay hidden even then.");
            }

            if (failed.Count > 0)
            {
                IEnumerable<string> shown = failed.Take(5).Select(f => $"{f.Value.FailedCall}(pid {f.Key.ToString(CultureInfo.InvariantCulture)}): {WindowsCallException.Describe(f.Value.Error)}");
                string more = failed.Count > 5 ? $"; and {failed.Count - 5} more" : string.Empty;
                log.Warning("UsersUnreadable", $"User names may be missing: reading the account of {failed.Count} process(es) failed, not because they ended: {string.Join("; ", shown)}{more}.");
            }
        }

        private static string Pids(List<int> pids)
        {
            var shown = pids.Count <= 10 ? pids : pids.GetRange(0, 10);
            string list = string.Join(", ", shown.ConvertAll(p => p.ToString(CultureInfo.InvariantCulture)));
            return pids.Count <= 10 ? "process " + list : $"processes {list} and {pids.Count - 10} more";
        }
    }
}
