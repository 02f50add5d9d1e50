using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>
    /// P/Invoke declarations for the C library. Declarations only: the wrappers beside it (<see cref="SafeFd"/>,
    /// <see cref="FdDirectory"/>, <see cref="NetlinkSocket"/>) check results and turn errno into a
    /// <see cref="NativeCallException"/>; errno values are the <see cref="Errno"/> enum.
    /// The library is found by the system loader only, never next to the module (see AssemblyInfo.cs).
    /// </summary>
    internal static unsafe class Libc
    {
        private const string Lib = "libc";

        internal const int AF_NETLINK = 16;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int NETLINK_SOCK_DIAG = 4;
        internal const int SOL_SOCKET = 1;
        internal const int SO_RCVBUF = 8;

        internal const int O_RDONLY = 0;
        internal const int O_DIRECTORY = 0x10000;
        internal const int O_CLOEXEC = 0x80000;

        internal const int AF_INET = 2;
        internal const int AF_INET6 = 10;
        internal const int SOCK_STREAM = 1;
        internal const int SOCK_NONBLOCK = 0x800;
        internal const int SO_ERROR = 4;
        internal const short POLLOUT = 0x4;
        internal const int MSG_DONTWAIT = 0x40;
        internal const int SO_RCVBUFFORCE = 33;

        /// <summary>setns(2)'s nstype for a network namespace: the call then refuses any other kind of file.</summary>
        internal const int CLONE_NEWNET = 0x40000000;

        [DllImport(Lib, SetLastError = true)]
        internal static extern int socket(int domain, int type, int protocol);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int connect(int fd, byte* address, int addressLength);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int getsockopt(int fd, int level, int name, int* value, int* length);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int getsockname(int fd, byte* address, int* addressLength);

        /// <summary>struct pollfd is { int fd; short events; short revents; } on every Linux ABI.</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int bind(int fd, SockaddrNl* address, int addressLength);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int setsockopt(int fd, int level, int name, int* value, int length);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint sendto(int fd, byte* buffer, nint length, int flags, SockaddrNl* address, int addressLength);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint recv(int fd, byte* buffer, nint length, int flags);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int openat(int dirFd, byte* path, int flags);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint read(int fd, byte* buffer, nint count);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int close(int fd);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint readlinkat(int dirFd, byte* path, byte* buffer, nint size);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint readlink([MarshalAs(UnmanagedType.LPStr)] string path, byte* buffer, nint size);

        /// <summary>Moves the calling thread (only it) into the namespace <paramref name="fd"/> refers to.</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int setns(int fd, int nstype);

        [DllImport(Lib, SetLastError = true)]
        internal static extern nint fdopendir(int fd);

        [DllImport(Lib, SetLastError = true)]
        internal static extern Dirent* readdir(nint dir);

        [DllImport(Lib, SetLastError = true)]
        internal static extern int closedir(nint dir);

        [DllImport(Lib)]
        internal static extern uint geteuid();

        /// <summary>The calling thread's errno (glibc and musl both export this name).</summary>
        [DllImport(Lib)]
        internal static extern int* __errno_location();

        [DllImport(Lib, SetLastError = true)]
        internal static extern int getpwuid_r(uint uid, Passwd* passwd, byte* buffer, nint bufferLength, Passwd** result);
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short ReturnedEvents;
    }
}
