using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Says why /proc/&lt;pid&gt;/fd was denied. Usually the processes are other users' and we are not root; but root
    /// can be denied too (a security module such as AppArmor, SELinux or Yama, or a container without
    /// CAP_SYS_PTRACE), and then "belongs to other users, run as root" would send the user the wrong way.
    /// </summary>
    internal static class OwnerPermissions
    {
        /// <summary>One sentence: which processes were denied and why, with what to do about it.</summary>
        internal static string Explain(List<int> denied, string which)
        {
            uint me = Libc.geteuid();
            List<uint?> uids = denied.Select(UidOf).ToList();
            string pids = Pids(denied);
            if (me != 0 && uids.All(uid => uid is null || uid != me))
            {
                return $"{denied.Count} {which}process(es) ({pids}) belong to other users ({Users(uids)}), and only root can read their /proc/<pid>/fd. Run as root (sudo) to see every owner.";
            }

            string whose = me == 0 ? "this process runs as root" : $"{Users(uids)} include this process's own user";
            return $"reading /proc/<pid>/fd was denied (EACCES) for {denied.Count} {which}process(es) ({pids}) although {whose}: a security module (AppArmor, SELinux, Yama ptrace_scope) or a missing capability (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, often dropped in containers) forbids it.";
        }

        /// <summary>The real uid of a process from /proc/&lt;pid&gt;/status, or null when it cannot be read.</summary>
        private static uint? UidOf(int pid)
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status"))
                {
                    if (line.StartsWith("Uid:", System.StringComparison.Ordinal))
                    {
                        string[] fields = line.Split(new[] { '\t', ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
                        return uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) ? uid : null;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (System.UnauthorizedAccessException)
            {
            }

            return null; // gone since, or unreadable: the message then names no user for it
        }

        private static string Users(List<uint?> uids)
        {
            List<string> names = uids.Where(u => u is not null).Select(u => u!.Value).Distinct()
                .Select(u => UserNames.Lookup(u) ?? u.ToString(CultureInfo.InvariantCulture)).Take(5).ToList();
            return names.Count == 0 ? "unknown users" : string.Join(", ", names);
        }

        /// <summary>"process 12, 40" or "processes 1, 2, ... and 7 more".</summary>
        internal static string Pids(List<int> pids)
        {
            var shown = pids.Count <= 10 ? pids : pids.GetRange(0, 10);
            string list = string.Join(", ", shown.ConvertAll(p => p.ToString(CultureInfo.InvariantCulture)));
            return pids.Count <= 10 ? "process " + list : $"processes {list} and {pids.Count - 10} more";
        }
    }
}
