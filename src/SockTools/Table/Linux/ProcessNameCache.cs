using System.Collections.Generic;
using System.Globalization;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Process names for one read: each pid's comm is read once, however many sockets it holds. A name that
    /// cannot be read for a reason other than "the process ended" is recorded as a problem.
    /// </summary>
    internal sealed class ProcessNameCache
    {
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();
        private readonly OwnerReadProblems? _problems;

        internal ProcessNameCache(OwnerReadProblems? problems) => _problems = problems;

        internal string? NameOf(int pid)
        {
            lock (_names)
            {
                if (!_names.TryGetValue(pid, out string? name))
                {
                    if (!ProcessNames.TryRead(pid, out name, out Errno errno) && errno != Errno.None)
                    {
                        _problems?.Failed(pid, $"read(/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm)", errno);
                    }

                    _names.Add(pid, name);
                }

                return name;
            }
        }

        /// <summary>A name already known (from a watch's earlier read), so it is not read again.</summary>
        internal void Remember(int pid, string? name)
        {
            lock (_names)
            {
                _names[pid] = name;
            }
        }
    }
}
