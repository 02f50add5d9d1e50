using System.IO;

namespace SockTools.Table.Linux
{
    /// <summary>Reads a process's name from /proc/&lt;pid&gt;/comm (what ss, top and pgrep show).</summary>
    internal static class ProcessNames
    {
        /// <summary>The name, or null when the process is gone or unreadable.</summary>
        internal static string? Read(int pid)
        {
            try
            {
                string text = File.ReadAllText("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/comm");
                return text.TrimEnd('\n');
            }
            catch (IOException)
            {
                return null; // exited between the fd scan and now
            }
            catch (System.UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
