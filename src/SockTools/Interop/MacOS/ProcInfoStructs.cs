using System.Runtime.InteropServices;

namespace SockTools.Interop.MacOS
{
    // What libproc's calls write (bsd/sys/proc_info.h), naturally aligned (no pragma pack there). Table/MacOS
    // reads them from bytes at these offsets (ProcInfoLayout); tests check sizes and offsets against the
    // documented ones for 64-bit processes.

    /// <summary>struct proc_fdinfo: one open descriptor of a process (8 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcFdInfo
    {
        internal int Fd;               // proc_fd
        internal uint FdType;          // proc_fdtype: PROX_FDTYPE_SOCKET for sockets
    }

    /// <summary>struct proc_bsdshortinfo (64 bytes): the process name any user may read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ProcBsdShortInfo
    {
        internal uint Pid;             // pbsi_pid
        internal uint ParentPid;       // pbsi_ppid
        internal uint ProcessGroup;    // pbsi_pgid
        internal uint Status;          // pbsi_status
        internal fixed byte Command[16]; // pbsi_comm[MAXCOMLEN]: the name, NUL-terminated when shorter
        internal uint Flags;           // pbsi_flags
        internal uint Uid;             // pbsi_uid
        internal uint Gid;             // pbsi_gid
        internal uint RealUid;         // pbsi_ruid
        internal uint RealGid;         // pbsi_rgid
        internal uint SavedUid;        // pbsi_svuid
        internal uint SavedGid;        // pbsi_svgid
        internal uint Reserved;        // pbsi_rfu
    }

    /// <summary>struct proc_fileinfo (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcFileInfo
    {
        internal uint OpenFlags;       // fi_openflags
        internal uint Status;          // fi_status
        internal long Offset;          // fi_offset
        internal int Type;             // fi_type
        internal uint GuardFlags;      // fi_guardflags
    }

    /// <summary>struct vinfo_stat (136 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct VinfoStat
    {
        internal uint Device;          // vst_dev
        internal ushort Mode;          // vst_mode
        internal ushort Links;         // vst_nlink
        internal ulong Inode;          // vst_ino
        internal uint Uid;             // vst_uid
        internal uint Gid;             // vst_gid
        internal fixed long Times[8];  // vst_atime, _atimensec, _mtime, _mtimensec, _ctime, _ctimensec, _birthtime, _birthtimensec
        internal long Size;            // vst_size
        internal long Blocks;          // vst_blocks
        internal int BlockSize;        // vst_blksize
        internal uint Flags;           // vst_flags
        internal uint Generation;      // vst_gen
        internal uint RawDevice;       // vst_rdev
        internal fixed long Spare[2];  // vst_qspare
    }

    /// <summary>struct sockbuf_info (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockbufInfo
    {
        internal uint ByteCount;       // sbi_cc
        internal uint HighWater;       // sbi_hiwat
        internal uint MbufCount;       // sbi_mbcnt
        internal uint MbufMax;         // sbi_mbmax
        internal uint LowWater;        // sbi_lowat
        internal short Flags;          // sbi_flags
        internal short Timeout;        // sbi_timeo
    }

    /// <summary>
    /// struct socket_info (768 bytes): soi_proto is a union whose largest member is struct un_sockinfo
    /// (two u64 handles and two 255-byte addresses: 528 bytes with its padding).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SocketInfo
    {
        internal VinfoStat Stat;       // soi_stat
        internal ulong SocketHandle;   // soi_so: the same opaque handle pcblist_n's xso_so carries
        internal ulong Pcb;            // soi_pcb
        internal int Type;             // soi_type
        internal int Protocol;         // soi_protocol
        internal int Family;           // soi_family
        internal short Options;        // soi_options
        internal short Linger;         // soi_linger
        internal short State;          // soi_state
        internal short QueueLength;    // soi_qlen
        internal short IncompleteQueueLength; // soi_incqlen
        internal short QueueLimit;     // soi_qlimit
        internal short Timeout;        // soi_timeo
        internal ushort Error;         // soi_error
        internal uint OobMark;         // soi_oobmark
        internal SockbufInfo Receive;  // soi_rcv
        internal SockbufInfo Send;     // soi_snd
        internal int Kind;             // soi_kind: SOCKINFO_IN, SOCKINFO_TCP, ...
        internal uint Reserved;        // rfu_1
        internal fixed ulong Proto[66]; // soi_proto: 528 bytes, 8-aligned
    }

    /// <summary>struct socket_fdinfo: what PROC_PIDFDSOCKETINFO writes (792 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SocketFdInfo
    {
        internal ProcFileInfo File;    // pfi
        internal SocketInfo Socket;    // psi
    }
}
