using System.Text;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// A process's command line from the bytes of /proc/&lt;pid&gt;/cmdline: its arguments, each ended by a NUL, joined
    /// by spaces (as ps -o args and PowerShell's Get-Process show it). A process may have rewritten it (nginx:
    /// "nginx: master process /usr/sbin/nginx"); then it is shown as the process wrote it. Pure: bytes in, text out.
    /// </summary>
    internal static class CommandLineText
    {
        /// <summary>The text; null when there are no arguments (a kernel thread, a zombie).</summary>
        /// <param name="bytes">The file's bytes.</param>
        /// <param name="length">How many of them were read.</param>
        /// <param name="cut">True when the file was longer than what was read: the text then ends with "…".</param>
        internal static string? Decode(byte[] bytes, int length, bool cut)
        {
            while (length > 0 && bytes[length - 1] == 0)
            {
                length--;
            }

            if (length == 0)
            {
                return null;
            }

            var text = new StringBuilder(Encoding.UTF8.GetString(bytes, 0, length)).Replace('\0', ' ');
            return cut ? text.Append('…').ToString() : text.ToString();
        }
    }
}
