using System.Runtime.InteropServices;

namespace SockTools.Interop.MacOS
{
    /// <summary>
    /// The macOS calls SockTools uses (sysctl(3), libproc.h, getpwuid_r(3)). Declarations only: the table and the
    /// file tables come back as bytes, which Table/MacOS parses, so the parsing is tested anywhere. libSystem is
    /// named by its full path, so nothing next to the module can stand in for it.
    /// </summary>
    internal static unsafe class LibSystem
    {
        private const string Lib = "/usr/lib/libSystem.dylib";

        /// <summary>proc_listpids type: every process (sys/proc_info.h).</summary>
        internal const uint PROC_ALL_PIDS = 1;

        /// <summary>proc_pidinfo flavor: the process's open files, as struct proc_fdinfo records.</summary>
        internal const int PROC_PIDLISTFDS = 1;

        /// <summary>proc_pidinfo flavor: struct proc_bsdshortinfo, which any user may read of any process.</summary>
        internal const int PROC_PIDT_SHORTBSDINFO = 13;

        /// <summary>proc_pidfdinfo flavor: struct socket_fdinfo of one descriptor.</summary>
        internal const int PROC_PIDFDSOCKETINFO = 3;

        /// <summary>proc_fdinfo.proc_fdtype of a socket.</summary>
        internal const uint PROX_FDTYPE_SOCKET = 2;

        /// <summary>int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen).</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int sysctlbyname([MarshalAs(UnmanagedType.LPStr)] string name, byte* oldValue, ref nuint oldLength, byte* newValue, nuint newLength);

        /// <summary>int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize): bytes written, 0 on failure (errno set).</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int proc_listpids(uint type, uint typeInfo, byte* buffer, int bufferSize);

        /// <summary>int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize): bytes written, 0 on failure.</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int proc_pidinfo(int pid, int flavor, ulong arg, byte* buffer, int bufferSize);

        /// <summary>int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize): bytes written, 0 on failure.</summary>
        [DllImport(Lib, SetLastError = true)]
        internal static extern int proc_pidfdinfo(int pid, int fd, int flavor, byte* buffer, int bufferSize);

        /// <summary>int getpwuid_r(uid_t, struct passwd *, char *, size_t, struct passwd **): 0 or an errno.</summary>
        [DllImport(Lib)]
        internal static extern int getpwuid_r(uint uid, MacPasswd* passwd, byte* buffer, nuint bufferLength, MacPasswd** result);
    }

    /// <summary>
    /// struct passwd of macOS (pwd.h), which has more fields than Linux's (pw_change, pw_class, pw_expire):
    /// 72 bytes in a 64-bit process. SockTools needs pw_name only, but getpwuid_r fills the whole struct.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MacPasswd
    {
        internal System.IntPtr Name;
        internal System.IntPtr Password;
        internal uint UserId;
        internal uint GroupId;
        internal long Change;
        internal System.IntPtr Class;
        internal System.IntPtr Gecos;
        internal System.IntPtr Directory;
        internal System.IntPtr Shell;
        internal long Expire;
    }
}
