using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>
    /// The errno values SockTools meets, by name (Linux generic numbering, which every architecture .NET runs on
    /// uses). The one place these numbers are written.
    /// </summary>
    internal enum Errno
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        ESRCH = 3,
        EINTR = 4,
        EIO = 5,
        EBADF = 9,
        EAGAIN = 11,
        ENOMEM = 12,
        EACCES = 13,
        EFAULT = 14,
        EBUSY = 16,
        ENOTDIR = 20,
        EINVAL = 22,
        ENFILE = 23,
        EMFILE = 24,
        ERANGE = 34,
        ENAMETOOLONG = 36,
        ENOSYS = 38,
        EPROTO = 71,
        EMSGSIZE = 90,
        EPROTONOSUPPORT = 93,
        EOPNOTSUPP = 95,
        EAFNOSUPPORT = 97,
        EADDRINUSE = 98,
        EADDRNOTAVAIL = 99,
        ENETDOWN = 100,
        ENETUNREACH = 101,
        ECONNABORTED = 103,
        ECONNRESET = 104,
        ENOBUFS = 105,
        ETIMEDOUT = 110,
        ECONNREFUSED = 111,
        EHOSTDOWN = 112,
        EHOSTUNREACH = 113,
        EINPROGRESS = 115,
    }

    /// <summary>errno after a failed call, and its words (EINTR (interrupted system call), not "errno 4").</summary>
    internal static unsafe class LastError
    {
        /// <summary>errno of the last call declared with SetLastError.</summary>
        internal static Errno Current => (Errno)Marshal.GetLastWin32Error();

        /// <summary>Sets errno to 0 before a call that reports failure only through errno (readdir).</summary>
        internal static void Clear() => *Libc.__errno_location() = 0;

        /// <summary>The failure of <paramref name="call"/> as an exception carrying errno.</summary>
        internal static NativeCallException Exception(string call, string? target = null) => new NativeCallException(call, Current, target);

        /// <summary>"EINTR (interrupted system call)"; "errno 200" for a number this table does not know.</summary>
        internal static string Describe(Errno errno)
        {
            string? text = Text(errno);
            return text is null ? $"errno {(int)errno}" : $"{errno} ({text})";
        }

        private static string? Text(Errno errno) => errno switch
        {
            Errno.EPERM => "operation not permitted",
            Errno.ENOENT => "no such file or directory",
            Errno.ESRCH => "no such process",
            Errno.EINTR => "interrupted system call",
            Errno.EIO => "input/output error",
            Errno.EBADF => "bad file descriptor",
            Errno.EAGAIN => "resource temporarily unavailable",
            Errno.ENOMEM => "cannot allocate memory",
            Errno.EACCES => "permission denied",
            Errno.EFAULT => "bad address",
            Errno.EBUSY => "device or resource busy",
            Errno.ENOTDIR => "not a directory",
            Errno.EINVAL => "invalid argument",
            Errno.ENFILE => "too many open files in system",
            Errno.EMFILE => "too many open files",
            Errno.ERANGE => "result too large",
            Errno.ENAMETOOLONG => "file name too long",
            Errno.ENOSYS => "function not implemented",
            Errno.EPROTO => "protocol error",
            Errno.EMSGSIZE => "message too long",
            Errno.EPROTONOSUPPORT => "protocol not supported",
            Errno.EOPNOTSUPP => "operation not supported",
            Errno.EAFNOSUPPORT => "address family not supported by protocol",
            Errno.EADDRINUSE => "address already in use",
            Errno.EADDRNOTAVAIL => "cannot assign requested address",
            Errno.ENETDOWN => "network is down",
            Errno.ENETUNREACH => "network is unreachable",
            Errno.ECONNABORTED => "software caused connection abort",
            Errno.ECONNRESET => "connection reset by peer",
            Errno.ENOBUFS => "no buffer space available",
            Errno.ETIMEDOUT => "connection timed out",
            Errno.ECONNREFUSED => "connection refused",
            Errno.EHOSTDOWN => "host is down",
            Errno.EHOSTUNREACH => "no route to host",
            Errno.EINPROGRESS => "operation now in progress",
            _ => null,
        };
    }

    /// <summary>A libc call failed; carries errno so callers can tell "gone" from "denied".</summary>
    internal sealed class NativeCallException : Exception
    {
        internal NativeCallException(string call, Errno errno, string? target)
            : base($"{call}{(target is null ? string.Empty : $"({target})")} failed: {LastError.Describe(errno)}")
        {
            Call = call;
            Errno = errno;
        }

        internal string Call { get; }

        internal Errno Errno { get; }
    }
}
