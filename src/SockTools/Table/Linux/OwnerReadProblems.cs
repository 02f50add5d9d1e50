using System.Collections.Generic;
using System.Linq;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// What an owner scan could not read, kept apart by cause: a process that ended is not a problem; one
    /// whose /proc/&lt;pid&gt;/fd is denied, or whose reading failed for another reason (EMFILE, EIO, ENOMEM),
    /// may hide owners and is reported. Written by several scan workers at once.
    /// </summary>
    internal sealed class OwnerReadProblems
    {
        private readonly object _gate = new object();
        private readonly List<int> _denied = new List<int>();
        private readonly List<(int Pid, string Call, Errno Errno)> _failed = new List<(int, string, Errno)>();


        internal void Denied(int pid)
        {
            lock (_gate)
            {
                _denied.Add(pid);
            }
        }

        /// <summary>Records a failed call; <paramref name="call"/> names it with its path: "readdir(/proc/812/fd)".</summary>
        internal void Failed(int pid, string call, Errno errno)
        {
            lock (_gate)
            {
                _failed.Add((pid, call, errno));
            }
        }

        /// <summary>Processes whose fd table we were not allowed to read, ascending.</summary>
        internal List<int> DeniedProcesses()
        {
            lock (_gate)
            {
                return _denied.Distinct().OrderBy(p => p).ToList();
            }
        }

        /// <summary>Processes whose fd table could not be read for another reason, with the first failure of each.</summary>
        internal List<(int Pid, string Call, Errno Errno)> FailedProcesses()
        {
            lock (_gate)
            {
                return _failed.GroupBy(f => f.Pid).Select(g => g.First()).OrderBy(f => f.Pid).ToList();
            }
        }

        /// <summary>"readdir(/proc/812/fd): EIO (input/output error); ..." for the first few failures.</summary>
        internal static string Describe(List<(int Pid, string Call, Errno Errno)> failed)
        {
            IEnumerable<string> shown = failed.Take(5).Select(f => $"{f.Call}: {LastError.Describe(f.Errno)}");
            string more = failed.Count > 5 ? $"; and {failed.Count - 5} more" : string.Empty;
            return string.Join("; ", shown) + more;
        }
    }
}
