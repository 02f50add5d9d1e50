using System.Globalization;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>Reads a process's name from /proc/&lt;pid&gt;/comm (what ss, top and pgrep show).</summary>
    internal static class ProcessNames
    {
        /// <summary>The name, or null when the process is gone or its name cannot be read.</summary>
        internal static string? Read(int pid) => TryRead(pid, out string? name, out _) ? name : null;

        /// <summary>
        /// The name; false with errno None when the process is gone (not a problem), false with the errno when the
        /// read failed for another reason.
        /// </summary>
        internal static bool TryRead(int pid, out string? name, out Errno errno)
        {
            name = null;
            if (!SmallFile.TryRead("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/comm", out string? text, out errno))
            {
                if (errno == Errno.ENOENT || errno == Errno.ESRCH)
                {
                    errno = Errno.None; // the process ended
                }

                return false;
            }

            name = text!.EndsWith("\n", System.StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text; // comm ends in one newline
            return true;
        }
    }
}
