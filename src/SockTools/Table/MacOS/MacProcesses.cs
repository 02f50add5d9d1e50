using System.Collections.Generic;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>The live processes through libproc: proc_listpids, proc_pidinfo and proc_pidfdinfo; each result parsed by <see cref="ProcInfoParser"/>.</summary>
    internal sealed unsafe class MacProcesses : IMacProcesses
    {
        /// <summary>Descriptors opened between the size question and the listing still fit.</summary>
        private const int SpareDescriptors = 32;

        private readonly byte[] _socketInfo = new byte[ProcInfoParser.SocketFdInfoSize];
        private readonly byte[] _shortInfo = new byte[ProcInfoParser.ShortInfoSize];
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();

        public List<int> AllProcessIds()
        {
            byte[] buffer = GrowingBuffer.Fill("proc_listpids", attempt =>
            {
                fixed (byte* b = attempt)
                {
                    int written = LibSystem.proc_listpids(LibSystem.PROC_ALL_PIDS, 0, attempt.Length == 0 ? null : b, attempt.Length);
                    if (written <= 0)
                    {
                        throw new MacCallException("proc_listpids", MacCallException.Last);
                    }

                    // The size question answers with the room the list needs now; a full buffer may mean it grew.
                    return attempt.Length == 0 || written >= attempt.Length ? Fill.TooSmall(written) : Fill.Done(written);
                }
            }, out int length);
            return ProcInfoParser.ProcessIds(buffer, length);
        }

        public List<int>? SocketDescriptors(int pid, out MacErrno errno)
        {
            int size = LibSystem.proc_pidinfo(pid, LibSystem.PROC_PIDLISTFDS, 0, null, 0);
            if (size <= 0)
            {
                errno = MacCallException.Last;
                return size == 0 && errno == MacErrno.None ? new List<int>() : null;
            }

            byte[] buffer = new byte[size + (SpareDescriptors * ProcInfoParser.FdInfoSize)];
            fixed (byte* b = buffer)
            {
                int written = LibSystem.proc_pidinfo(pid, LibSystem.PROC_PIDLISTFDS, 0, b, buffer.Length);
                if (written <= 0)
                {
                    errno = MacCallException.Last;
                    return written == 0 && errno == MacErrno.None ? new List<int>() : null;
                }

                errno = MacErrno.None;
                return ProcInfoParser.SocketDescriptors(buffer, written);
            }
        }

        public ulong SocketHandleOf(int pid, int fd, out MacErrno errno)
        {
            fixed (byte* b = _socketInfo)
            {
                int written = LibSystem.proc_pidfdinfo(pid, fd, LibSystem.PROC_PIDFDSOCKETINFO, b, _socketInfo.Length);
                if (written <= 0)
                {
                    errno = MacCallException.Last;
                    return 0;
                }

                errno = MacErrno.None;
                return ProcInfoParser.SocketHandle(_socketInfo, written);
            }
        }

        public string? NameOf(int pid)
        {
            if (!_names.TryGetValue(pid, out string? name))
            {
                fixed (byte* b = _shortInfo)
                {
                    int written = LibSystem.proc_pidinfo(pid, LibSystem.PROC_PIDT_SHORTBSDINFO, 0, b, _shortInfo.Length);
                    name = written > 0 ? ProcInfoParser.ProcessName(_shortInfo, written) : null;
                }

                _names.Add(pid, name);
            }

            return name;
        }

        public string? UserNameOf(uint uid) => MacUserNames.Lookup(uid);
    }
}
