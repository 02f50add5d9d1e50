using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>Reads errno after a failed call, and names it the way the man pages do (EINTR, not 4).</summary>
    internal static unsafe class Errno
    {
        internal static int Last => Marshal.GetLastWin32Error();

        /// <summary>Sets errno to 0 before a call that reports failure only through errno (readdir).</summary>
        internal static void Clear() => *Libc.__errno_location() = 0;

        internal static NativeCallException Exception(string call, string? target = null)
            => new NativeCallException(call, Last, target);

        /// <summary>"EINTR (interrupted system call)"; "errno 200" for a number this table does not know.</summary>
        internal static string Describe(int errno)
        {
            (string Name, string Text)? known = Lookup(errno);
            return known is { } k ? $"{k.Name} ({k.Text})" : $"errno {errno}";
        }

        /// <summary>The symbolic name alone (EMFILE), or "errno N".</summary>
        internal static string Name(int errno) => Lookup(errno)?.Name ?? $"errno {errno}";

        // The errnos the reader can meet (Linux generic numbering, which every architecture .NET runs on uses).
        private static (string Name, string Text)? Lookup(int errno) => errno switch
        {
            1 => ("EPERM", "operation not permitted"),
            2 => ("ENOENT", "no such file or directory"),
            3 => ("ESRCH", "no such process"),
            4 => ("EINTR", "interrupted system call"),
            5 => ("EIO", "input/output error"),
            9 => ("EBADF", "bad file descriptor"),
            11 => ("EAGAIN", "resource temporarily unavailable"),
            12 => ("ENOMEM", "cannot allocate memory"),
            13 => ("EACCES", "permission denied"),
            14 => ("EFAULT", "bad address"),
            16 => ("EBUSY", "device or resource busy"),
            20 => ("ENOTDIR", "not a directory"),
            22 => ("EINVAL", "invalid argument"),
            23 => ("ENFILE", "too many open files in system"),
            24 => ("EMFILE", "too many open files"),
            36 => ("ENAMETOOLONG", "file name too long"),
            38 => ("ENOSYS", "function not implemented"),
            71 => ("EPROTO", "protocol error"),
            90 => ("EMSGSIZE", "message too long"),
            93 => ("EPROTONOSUPPORT", "protocol not supported"),
            95 => ("EOPNOTSUPP", "operation not supported"),
            97 => ("EAFNOSUPPORT", "address family not supported by protocol"),
            105 => ("ENOBUFS", "no buffer space available"),
            110 => ("ETIMEDOUT", "connection timed out"),
            _ => null,
        };
    }

    /// <summary>A libc call failed; carries errno so callers can tell "gone" from "denied".</summary>
    internal sealed class NativeCallException : Exception
    {
        internal NativeCallException(string call, int errno, string? target)
            : base($"{call}{(target is null ? string.Empty : $"({target})")} failed: {Errno.Describe(errno)}")
        {
            Call = call;
            ErrorNumber = errno;
        }

        internal string Call { get; }

        internal int ErrorNumber { get; }
    }
}
