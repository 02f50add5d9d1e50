using System.Text;

namespace SockTools.Interop
{
    /// <summary>Reads a short file, such as /proc/&lt;pid&gt;/comm, with read() and without .NET's FileStream setup.</summary>
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

        /// <summary>
        /// The whole file, up to <paramref name="maxBytes"/>, as bytes: for /proc files that can be long
        /// (/proc/&lt;pid&gt;/cmdline, /proc/&lt;pid&gt;/cgroup) and whose size stat cannot tell (it says 0).
        /// False with errno when it cannot be opened or read.
        /// </summary>
        internal static bool TryReadBytes(string path, int maxBytes, out byte[] bytes, out int length, out Errno errno)
        {
            bytes = System.Array.Empty<byte>();
            length = 0;
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                errno = LastError.Current;
                return false;
            }

            using var file = new SafeFd(fd);
            bytes = new byte[System.Math.Min(4096, maxBytes)];
            while (true)
            {
                if (length == bytes.Length)
                {
                    if (bytes.Length >= maxBytes)
                    {
                        break; // as much as the caller wants
                    }

                    System.Array.Resize(ref bytes, System.Math.Min(bytes.Length * 4, maxBytes));
                }

                nint read;
                fixed (byte* at = &bytes[length])
                {
                    read = Libc.read(file.Value, at, bytes.Length - length);
                }

                if (read < 0)
                {
                    errno = LastError.Current;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                if (read == 0)
                {
                    break;
                }

                length += (int)read;
            }

            errno = Errno.None;
            return true;
        }
    }
}
