using System;

namespace SockTools.Interop
{
    /// <summary>
    /// A directory read with readdir() through a descriptor of its own, so entries can be opened relative to it
    /// (readlinkat). Tells the end of the listing from a failure, which readdir() reports the same way.
    /// </summary>
    internal sealed unsafe class FdDirectory : IDisposable
    {
        private nint _dir;

        private FdDirectory(int fd, nint dir)
        {
            Fd = fd;
            _dir = dir;
        }

        /// <summary>The directory's descriptor, for calls relative to it; valid until disposed.</summary>
        internal int Fd { get; }

        /// <summary>Opens a directory; false with errno when it cannot be (ENOENT for a process that ended, EACCES, ...).</summary>
        internal static bool TryOpen(string path, out FdDirectory? directory, out Errno errno, out string failedCall)
        {
            directory = null;
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                errno = LastError.Current;
                failedCall = "open";
                return false;
            }

            nint dir = Libc.fdopendir(fd);
            if (dir == 0)
            {
                errno = LastError.Current;
                failedCall = "fdopendir";
                Libc.close(fd);
                return false;
            }

            directory = new FdDirectory(fd, dir);
            errno = Errno.None;
            failedCall = string.Empty;
            return true;
        }

        /// <summary>Opens a directory.</summary>
        /// <exception cref="NativeCallException">It could not be opened.</exception>
        internal static FdDirectory Open(string path)
            => TryOpen(path, out FdDirectory? directory, out Errno errno, out string call) ? directory! : throw new NativeCallException(call, errno, path);

        /// <summary>
        /// The next entry (valid until the next call); null at the end of the listing, with
        /// <paramref name="error"/> None, or on a failure, with its errno.
        /// </summary>
        internal Dirent* Next(out Errno error)
        {
            LastError.Clear(); // readdir returns NULL at the end and on failure; only errno tells them apart
            Dirent* entry = Libc.readdir(_dir);
            error = entry == null ? LastError.Current : Errno.None;
            return entry;
        }

        public void Dispose()
        {
            if (_dir != 0)
            {
                Libc.closedir(_dir); // also closes Fd
                _dir = 0;
            }
        }
    }
}
