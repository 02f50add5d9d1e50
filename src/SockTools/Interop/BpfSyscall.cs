using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>
    /// The bpf(2) system call, which the C library does not wrap: the commands SockTools uses to load its one
    /// socket-fd program and read the kernel's task-file iterator, with the offsets of their attribute fields
    /// (union bpf_attr of include/uapi/linux/bpf.h; the kernel ignores what a caller leaves zero).
    /// </summary>
    internal static unsafe class BpfSyscall
    {
        internal const int ProgLoad = 5;
        internal const int LinkCreate = 28;
        internal const int IterCreate = 33;

        internal const uint ProgTypeTracing = 26;
        internal const uint AttachTraceIter = 28;

        /// <summary>Size of the attribute block passed: larger than every field used, the rest zero.</summary>
        internal const int AttrSize = 144;

        /// <summary>The bpf syscall's number on this architecture; 0 where SockTools does not know it.</summary>
        internal static long Number => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 321,
            Architecture.Arm64 => 280,
            _ => 0,
        };

        /// <summary>bpf(cmd, attr, size): a new fd (or 0) on success, -1 with errno on failure.</summary>
        internal static int Call(int command, byte* attr)
            => (int)syscall(Number, command, attr, AttrSize);

        [DllImport("libc", SetLastError = true)]
        private static extern long syscall(long number, long command, byte* attr, long size);
    }
}
