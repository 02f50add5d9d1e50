using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using SockTools.Interop;

namespace SockTools.Table.Linux.Bpf
{
    /// <summary>
    /// Every socket fd of every process in one pass through the kernel, instead of one readlink per fd in
    /// /proc/&lt;pid&gt;/fd: a 26-instruction BPF program on the kernel's task-file iterator writes (inode, tgid, fd)
    /// for each open file that is a socket, and a read of the iterator returns them all. At 60,000 sockets that is
    /// about 16 ms of one core where the /proc walk takes 300 ms of CPU.
    /// <para>
    /// Needs root (CAP_BPF and CAP_PERFMON), a kernel with BTF (5.8 or later), x86-64 or arm64, and a process in
    /// the pid namespace its /proc shows: before first use the program must find, under this process's own pid, a
    /// socket made for the check, so wrong offsets or foreign pids can never pass as owners. Anything short of that
    /// leaves the owners to /proc, with the reason for -Verbose. SOCKTOOLS_NO_BPF=1 turns it off.
    /// </para>
    /// </summary>
    internal sealed unsafe class SocketFdProgram
    {
        private const int RecordSize = 16; // u64 inode, u32 tgid, u32 fd: as the program stores them on its stack
        private const int ReadBufferSize = 256 * 1024;
        private const string BtfPath = "/sys/kernel/btf/vmlinux";

        private static readonly object Gate = new object();
        private static SocketFdProgram? _shared;
        private static string? _whyNot;
        private static bool _tried;

        private readonly SafeFd _program;
        private readonly SafeFd _link;

        private SocketFdProgram(SafeFd program, SafeFd link)
        {
            _program = program;
            _link = link;
        }

        /// <summary>Receives one socket fd: the owning process (thread group id), the fd number and the socket's inode.</summary>
        internal delegate void SocketVisitor(int pid, int fd, ulong inode);

        /// <summary>True when SOCKTOOLS_NO_BPF asks for /proc only.</summary>
        internal static bool TurnedOff => Environment.GetEnvironmentVariable("SOCKTOOLS_NO_BPF") is string value && value.Length > 0 && value != "0";

        /// <summary>
        /// The program of this process, loaded and checked on first use (a few milliseconds, once); null with the
        /// reason when owners must come from /proc. The answer is kept: the kernel and the process do not change.
        /// </summary>
        internal static SocketFdProgram? Shared(out string? whyNot)
        {
            if (TurnedOff)
            {
                whyNot = "SOCKTOOLS_NO_BPF is set";
                return null;
            }

            lock (Gate)
            {
                if (!_tried)
                {
                    _tried = true;
                    try
                    {
                        _shared = Load(out _whyNot);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NativeCallException)
                    {
                        _whyNot = e.Message;
                    }
                }

                whyNot = _whyNot;
                return _shared;
            }
        }

        /// <summary>
        /// Runs the iterator once and hands every socket fd to <paramref name="onSocket"/>, in the order of the
        /// tasks' ids. False, with the failed call, when the kernel refuses or a read fails; what was handed out
        /// before the failure is then incomplete.
        /// </summary>
        internal bool TryRead(SocketVisitor onSocket, out string? failure)
        {
            failure = null;
            byte* attr = stackalloc byte[BpfSyscall.AttrSize];
            Clear(attr);
            *(uint*)attr = (uint)_link.Value; // iter_create.link_fd
            int fd = BpfSyscall.Call(BpfSyscall.IterCreate, attr);
            if (fd < 0)
            {
                failure = $"bpf(BPF_ITER_CREATE): {LastError.Describe(LastError.Current)}";
                return false;
            }

            using var iterator = new SafeFd(fd);
            IntPtr buffer = Marshal.AllocHGlobal(ReadBufferSize);
            try
            {
                byte* start = (byte*)buffer;
                int kept = 0; // bytes of a record cut by the end of the last read (the kernel does not cut them; cheap to be sure)
                while (true)
                {
                    nint got = Libc.read(iterator.Value, start + kept, ReadBufferSize - kept);
                    if (got < 0)
                    {
                        Errno errno = LastError.Current;
                        if (errno == Errno.EINTR || errno == Errno.EAGAIN)
                        {
                            continue;
                        }

                        failure = $"read(bpf task-file iterator): {LastError.Describe(errno)}";
                        return false;
                    }

                    if (got == 0)
                    {
                        return kept == 0 || Fail("the task-file iterator ended in the middle of a record", out failure);
                    }

                    int total = kept + (int)got;
                    int whole = total - (total % RecordSize);
                    for (byte* record = start; record < start + whole; record += RecordSize)
                    {
                        onSocket(*(int*)(record + 8), *(int*)(record + 12), *(ulong*)record);
                    }

                    kept = total - whole;
                    Buffer.MemoryCopy(start + whole, start, ReadBufferSize, kept);
                }
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static bool Fail(string why, out string? failure)
        {
            failure = why;
            return false;
        }

        private static SocketFdProgram? Load(out string? whyNot)
        {
            whyNot = LinuxAbi.WhyNot;
            if (whyNot is not null || !LinuxAbi.IsSupported)
            {
                whyNot ??= "not Linux";
                return null;
            }

            if (BpfSyscall.Number == 0)
            {
                whyNot = $"the bpf system call is not known on {RuntimeInformation.ProcessArchitecture}";
                return null;
            }

            if (Libc.geteuid() != 0)
            {
                whyNot = "not root (loading the program needs CAP_BPF and CAP_PERFMON)";
                return null;
            }

            if (!File.Exists(BtfPath))
            {
                whyNot = $"the kernel has no type information ({BtfPath}; needs CONFIG_DEBUG_INFO_BTF)";
                return null;
            }

            KernelTypes? types = KernelTypes.Parse(File.ReadAllBytes(BtfPath), out whyNot);
            if (types is null)
            {
                return null;
            }

            SocketFdInstructions? code = SocketFdInstructions.For(types, out whyNot);
            if (code is null)
            {
                return null;
            }

            SafeFd? program = LoadProgram(code, out whyNot);
            if (program is null)
            {
                return null;
            }

            SafeFd? link = Attach(program, out whyNot);
            if (link is null)
            {
                program.Dispose();
                return null;
            }

            var loaded = new SocketFdProgram(program, link);
            if (!loaded.SeesItself(out whyNot))
            {
                link.Dispose();
                program.Dispose();
                return null;
            }

            return loaded;
        }

        private static SafeFd? LoadProgram(SocketFdInstructions code, out string? whyNot)
        {
            byte[] license = Encoding.ASCII.GetBytes("GPL\0"); // bpf_seq_write is offered to GPL-compatible programs only
            byte[] name = Encoding.ASCII.GetBytes("socktools_owner");
            var log = new byte[4096];
            whyNot = null;
            byte* attr = stackalloc byte[BpfSyscall.AttrSize];
            fixed (byte* insns = code.Bytes)
            fixed (byte* licenseText = license)
            fixed (byte* logBuffer = log)
            {
                for (int attempt = 0; attempt < 2; attempt++)
                {
                    Clear(attr);
                    *(uint*)(attr + 0) = BpfSyscall.ProgTypeTracing; // prog_type
                    *(uint*)(attr + 4) = (uint)code.Count; // insn_cnt
                    *(ulong*)(attr + 8) = (ulong)insns; // insns
                    *(ulong*)(attr + 16) = (ulong)licenseText; // license
                    if (attempt == 1)
                    {
                        *(uint*)(attr + 24) = 1; // log_level: the second attempt only asks why
                        *(uint*)(attr + 28) = (uint)log.Length;
                        *(ulong*)(attr + 32) = (ulong)logBuffer;
                    }

                    Marshal.Copy(name, 0, (IntPtr)(attr + 48), name.Length); // prog_name (15 characters and a NUL)
                    *(uint*)(attr + 68) = BpfSyscall.AttachTraceIter; // expected_attach_type
                    *(uint*)(attr + 108) = (uint)code.IteratorTypeId; // attach_btf_id
                    int fd = BpfSyscall.Call(BpfSyscall.ProgLoad, attr);
                    if (fd >= 0)
                    {
                        whyNot = null;
                        return new SafeFd(fd);
                    }

                    Errno errno = LastError.Current;
                    whyNot = $"the kernel refused to load the program: {LastError.Describe(errno)}{LastLogLine(log)}";
                    if (errno == Errno.EPERM)
                    {
                        return null; // not allowed: the verifier's log would say nothing more
                    }
                }
            }

            return null;
        }

        private static SafeFd? Attach(SafeFd program, out string? whyNot)
        {
            byte* attr = stackalloc byte[BpfSyscall.AttrSize];
            Clear(attr);
            *(uint*)(attr + 0) = (uint)program.Value; // link_create.prog_fd
            *(uint*)(attr + 8) = BpfSyscall.AttachTraceIter; // link_create.attach_type
            int fd = BpfSyscall.Call(BpfSyscall.LinkCreate, attr);
            if (fd < 0)
            {
                whyNot = $"bpf(BPF_LINK_CREATE): {LastError.Describe(LastError.Current)}";
                return null;
            }

            whyNot = null;
            return new SafeFd(fd);
        }

        /// <summary>
        /// The check before first use: a socket this process opens must come back with this process's pid and the
        /// fd it got. That proves the offsets read from BTF and that the kernel's pids are the ones /proc lists.
        /// </summary>
        private bool SeesItself(out string? whyNot)
        {
            int fd = Libc.socket(1 /* AF_UNIX */, 2 /* SOCK_DGRAM */ | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0)
            {
                whyNot = $"socket(AF_UNIX) for the self-check: {LastError.Describe(LastError.Current)}";
                return false;
            }

            using var probe = new SafeFd(fd);
            ulong inode = OwnSocketInode(fd);
            int pid = System.Diagnostics.Process.GetCurrentProcess().Id;
            bool seen = false;
            int count = 0;
            if (!TryRead((p, f, i) => { count++; seen |= p == pid && f == fd && i == inode; }, out whyNot))
            {
                return false;
            }

            whyNot = seen ? null
                : inode == 0 ? "the self-check could not read its own socket's inode from /proc/self/fd"
                : $"the self-check did not find this process's own socket among the {count} the kernel listed (another pid namespace, or a kernel whose types read differently)";
            return seen;
        }

        private static ulong OwnSocketInode(int fd)
        {
            byte* link = stackalloc byte[64];
            nint length = Libc.readlink("/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture), link, 64);
            return length > 0 && ProcFdScanner.TryParseSocketLink(link, (int)length, out ulong inode) ? inode : 0;
        }

        /// <summary>The verifier's last words, for -Verbose: ": R4 invalid mem access 'scalar'".</summary>
        private static string LastLogLine(byte[] log)
        {
            int end = Array.IndexOf(log, (byte)0);
            string text = Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd('\n');
            if (text.Length == 0)
            {
                return string.Empty;
            }

            string[] lines = text.Split('\n');
            var shown = new List<string>();
            for (int i = Math.Max(0, lines.Length - 2); i < lines.Length; i++)
            {
                shown.Add(lines[i].Trim());
            }

            return " (verifier: " + string.Join(" / ", shown) + ")";
        }

        private static void Clear(byte* attr)
        {
            for (int i = 0; i < BpfSyscall.AttrSize; i++)
            {
                attr[i] = 0;
            }
        }
    }
}
