using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// What a macOS owner scan could not read, by cause: a process that ended (ESRCH) or a descriptor closed
    /// meanwhile (EBADF) is no problem; a process another user owns (EPERM without root) hides its sockets; any
    /// other failure may hide owners too and is reported with its errno.
    /// </summary>
    internal sealed class OwnerScanProblems
    {
        private readonly SortedSet<int> _denied = new SortedSet<int>();
        private readonly SortedDictionary<int, (string Call, MacErrno Errno)> _failed = new SortedDictionary<int, (string, MacErrno)>();

        internal int DeniedCount => _denied.Count;

        internal int FailedCount => _failed.Count;

        /// <summary>Records the outcome of a call about <paramref name="pid"/>; true when it is no problem at all.</summary>
        internal bool Note(int pid, string call, MacErrno errno)
        {
            switch (errno)
            {
                case MacErrno.None:
                case MacErrno.ESRCH:
                case MacErrno.EBADF:
                    return true;
                case MacErrno.EPERM:
                case MacErrno.EACCES:
                    _denied.Add(pid);
                    return false;
                default:
                    if (!_failed.ContainsKey(pid))
                    {
                        _failed.Add(pid, (call, errno));
                    }

                    return false;
            }
        }

        /// <summary>The one warning a read owes: what is missing, if anything, with every cause; or failures alone.</summary>
        internal void Report(int missing, string what, ITableLog log)
        {
            string failures = _failed.Count == 0 ? string.Empty
                : $"reading the open files of {_failed.Count} process(es) failed, not because they ended: {Describe()}.";
            if (missing > 0 && (_denied.Count > 0 || _failed.Count > 0))
            {
                string because = _denied.Count == 0 ? string.Empty
                    : $"{_denied.Count} process(es) ({Pids(_denied)}) belong to other users, and only root may read their open files (EPERM). Run as root (sudo) to see every owner.";
                string and = because.Length > 0 && failures.Length > 0 ? " Also, " : string.Empty;
                log.Warning("OwnersHidden", $"{what.Replace("{0}", missing.ToString(CultureInfo.InvariantCulture))}: {because}{and}{failures}");
            }
            else if (_failed.Count > 0)
            {
                log.Warning("OwnersUnreadable", $"Owner lists may be incomplete: {failures}");
            }
        }

        private string Describe()
        {
            IEnumerable<string> shown = _failed.Take(5).Select(f => $"{f.Value.Call}(pid {f.Key.ToString(CultureInfo.InvariantCulture)}): {MacCallException.Describe(f.Value.Errno)}");
            string more = _failed.Count > 5 ? $"; and {_failed.Count - 5} more" : string.Empty;
            return string.Join("; ", shown) + more;
        }

        private static string Pids(SortedSet<int> pids)
        {
            List<string> shown = pids.Take(10).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
            return pids.Count <= 10 ? "process " + string.Join(", ", shown) : $"processes {string.Join(", ", shown)} and {pids.Count - 10} more";
        }
    }
}
