using System.Collections.Generic;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// What the macOS owner lookup asks of the processes: who runs, which of their descriptors are sockets, which
    /// socket each one is, and names. Behind an interface so the lookup's matching, filters and warnings are tested
    /// with a fake; one instance serves one read.
    /// </summary>
    internal interface IMacProcesses
    {
        /// <summary>Every process id, ascending.</summary>
        List<int> AllProcessIds();

        /// <summary>The process's socket descriptors, or the errno that kept them hidden (EPERM: another user's process).</summary>
        List<int>? SocketDescriptors(int pid, out MacErrno errno);

        /// <summary>The opaque handle (soi_so) of the socket behind a descriptor; 0 with the errno when it cannot be read (EBADF: closed meanwhile).</summary>
        ulong SocketHandleOf(int pid, int fd, out MacErrno errno);

        /// <summary>The process's name (pbsi_comm, at most 16 characters); null when it ended.</summary>
        string? NameOf(int pid);

        /// <summary>The user name of a uid; null when it has none.</summary>
        string? UserNameOf(uint uid);
    }
}
