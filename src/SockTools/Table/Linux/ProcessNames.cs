using System.Globalization;
using System.Text;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>Reads a process's name from /proc/&lt;pid&gt;/comm (what ss, top and pgrep show).</summary>
    internal static unsafe class ProcessNames
    {
        /// <summary>The name, or null when the process is gone or its name cannot be read.</summary>
        internal static string? Read(int pid) => TryRead(pid, out string? name, out _) ? name : null;

        /// <summary>
        /// The name; false with errno 0 when the process is gone (not a problem), false with the errno when the
        /// read failed for another reason.
        /// </summary>
        internal static bool TryRead(int pid, out string? name, out int errno)
        {
            name = null;
            int fd = Libc.open("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/comm", Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                errno = Gone(Errno.Last);
                return false;
            }

            try
            {
                byte* buffer = stackalloc byte[64]; // comm is at most 15 bytes and a newline
                nint length = Libc.read(fd, buffer, 64);
                if (length < 0)
                {
                    errno = Gone(Errno.Last);
                    return false;
                }

                int end = (int)length;
                while (end > 0 && buffer[end - 1] == (byte)'\n')
                {
                    end--;
                }

                name = Encoding.UTF8.GetString(buffer, end);
                errno = 0;
                return true;
            }
            finally
            {
                Libc.close(fd);
            }
        }

        /// <summary>0 for "the process ended" (ENOENT, ESRCH), else the errno itself.</summary>
        private static int Gone(int errno) => errno == Libc.ENOENT || errno == Libc.ESRCH ? 0 : errno;
    }
}
