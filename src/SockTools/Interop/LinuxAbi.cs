using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>
    /// The C layouts SockTools uses (struct dirent, struct passwd, struct sockaddr_nl) and the code that relies
    /// on them are those of 64-bit Linux, where glibc and musl agree. The one place that checks for it.
    /// </summary>
    internal static class LinuxAbi
    {
        /// <summary>True in a 64-bit process on Linux.</summary>
        internal static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && IntPtr.Size == 8;

        /// <summary>Why this process cannot use the Linux readers, for messages; null when it can.</summary>
        internal static string? WhyNot => !RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? null
            : IntPtr.Size != 8 ? "a 32-bit process: the Linux readers are built and tested for 64-bit processes only" : null;
    }

    /// <summary>struct dirent of 64-bit glibc and musl: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[256].</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct Dirent
    {
        internal const byte DT_DIR = 4;

        internal ulong Inode;
        internal long Offset;
        internal ushort RecordLength;
        internal byte Type;
        internal fixed byte Name[256];
    }

    /// <summary>struct passwd of 64-bit glibc and musl; SockTools needs pw_name only.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Passwd
    {
        internal IntPtr Name;
        internal IntPtr Password;
        internal uint UserId;
        internal uint GroupId;
        internal IntPtr Gecos;
        internal IntPtr Directory;
        internal IntPtr Shell;
    }

    /// <summary>struct sockaddr_nl: the netlink address of the kernel (pid 0) or of a multicast subscription.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        internal ushort Family;
        internal ushort Padding;
        internal uint PortId;
        internal uint Groups;

        /// <summary>The kernel, optionally with the multicast groups to join (a bitmask).</summary>
        internal static SockaddrNl Kernel(uint groups = 0) => new SockaddrNl { Family = Libc.AF_NETLINK, Groups = groups };
    }
}
