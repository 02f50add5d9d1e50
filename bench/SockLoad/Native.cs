// P/Invoke declarations only: the few libc calls .NET does not wrap.
using System.Runtime.InteropServices;

internal static class Native
{
    internal const int RLIMIT_NOFILE = 7;
    internal const int PR_SET_PDEATHSIG = 1;
    internal const int SIGKILL = 9;
    internal const int AF_UNIX = 1;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_IP = 0;
    internal const int IP_BIND_ADDRESS_NO_PORT = 24;

    [StructLayout(LayoutKind.Sequential)]
    internal struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    internal static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    internal static extern int setrlimit(int resource, ref RLimit limit);

    [DllImport("libc", SetLastError = true)]
    internal static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", SetLastError = true)]
    internal static extern int setpgid(int pid, int pgid);

    [DllImport("libc")]
    internal static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    internal static extern int socketpair(int domain, int type, int protocol, [Out] int[] fds);
}
