using System.Text;

namespace SockTools.Interop
{
    /// <summary>Reads a short file, such as /proc/&lt;pid&gt;/comm, in one read() and without .NET's FileStream setup.</summary>
    internal static unsafe class SmallFile
    {
        private const int MaxBytes = 256;

        /// <summary>The file's first bytes (up to 256) as UTF-8 text; false with errno when it cannot be opened or read.</summary>
        internal static bool TryRead(string path, out string? text, out Errno errno)
        {
            text = null;
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                errno = LastError.Current;
                return false;
            }

            using var file = new SafeFd(fd);
            byte* buffer = stackalloc byte[MaxBytes];
            nint length = Libc.read(file.Value, buffer, MaxBytes);
            if (length < 0)
            {
                errno = LastError.Current;
                return false;
            }

            text = Encoding.UTF8.GetString(buffer, (int)length);
            errno = Errno.None;
            return true;
        }
    }
}
