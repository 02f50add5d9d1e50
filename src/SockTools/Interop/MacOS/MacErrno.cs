using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop.MacOS
{
    /// <summary>
    /// The errno values the macOS readers meet, numbered as bsd/sys/errno.h numbers them (the low ones agree with
    /// Linux, the rest do not: macOS's EAGAIN is 35). The one place these numbers are written.
    /// </summary>
    internal enum MacErrno
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        ESRCH = 3,
        EINTR = 4,
        EIO = 5,
        EBADF = 9,
        ENOMEM = 12,
        EACCES = 13,
        EFAULT = 14,
        EINVAL = 22,
        ERANGE = 34,
        ENOTSUP = 45,
    }

    /// <summary>A macOS call failed; carries its errno so callers can tell "denied" and "gone" from a failure.</summary>
    internal sealed class MacCallException : Exception
    {
        internal MacCallException(string call, MacErrno errno, string? target = null)
            : base($"{call}{(target is null ? string.Empty : $"({target})")} failed: {Describe(errno)}")
        {
            Call = call;
            Errno = errno;
        }

        internal string Call { get; }

        internal MacErrno Errno { get; }

        internal bool IsPermissionDenied => Errno == MacErrno.EPERM || Errno == MacErrno.EACCES;

        /// <summary>errno of the last call declared with SetLastError.</summary>
        internal static MacErrno Last => (MacErrno)Marshal.GetLastWin32Error();

        /// <summary>"EPERM (operation not permitted)"; "errno 60" for a number this table does not know.</summary>
        internal static string Describe(MacErrno errno)
        {
            string? text = errno switch
            {
                MacErrno.EPERM => "operation not permitted",
                MacErrno.ENOENT => "no such file or directory",
                MacErrno.ESRCH => "no such process",
                MacErrno.EINTR => "interrupted system call",
                MacErrno.EIO => "input/output error",
                MacErrno.EBADF => "bad file descriptor",
                MacErrno.ENOMEM => "cannot allocate memory",
                MacErrno.EACCES => "permission denied",
                MacErrno.EFAULT => "bad address",
                MacErrno.EINVAL => "invalid argument",
                MacErrno.ERANGE => "result too large",
                MacErrno.ENOTSUP => "operation not supported",
                _ => null,
            };
            return text is null ? $"errno {(int)errno}" : $"{errno} ({text})";
        }
    }
}
