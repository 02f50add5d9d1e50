using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// Reads what libproc's calls wrote: a pid list (proc_listpids), a descriptor list (PROC_PIDLISTFDS), one
    /// socket's struct socket_fdinfo (PROC_PIDFDSOCKETINFO) and a process's short BSD info (its name). Offsets come
    /// from the structs in Interop/MacOS/ProcInfoStructs.cs. Pure: bytes in, values out.
    /// </summary>
    internal static class ProcInfoParser
    {
        internal static readonly int FdInfoSize = Marshal.SizeOf(typeof(ProcFdInfo));
        internal static readonly int FdInfoType = Marshal.OffsetOf(typeof(ProcFdInfo), nameof(ProcFdInfo.FdType)).ToInt32();
        internal static readonly int SocketFdInfoSize = Marshal.SizeOf(typeof(SocketFdInfo));

        /// <summary>soi_so inside struct socket_fdinfo: psi's offset plus soi_so's offset in struct socket_info.</summary>
        internal static readonly int SocketFdInfoHandle = Marshal.OffsetOf(typeof(SocketFdInfo), nameof(SocketFdInfo.Socket)).ToInt32()
            + Marshal.OffsetOf(typeof(SocketInfo), nameof(SocketInfo.SocketHandle)).ToInt32();

        internal static readonly int ShortInfoSize = Marshal.SizeOf(typeof(ProcBsdShortInfo));
        internal static readonly int ShortInfoCommand = Marshal.OffsetOf(typeof(ProcBsdShortInfo), nameof(ProcBsdShortInfo.Command)).ToInt32();

        /// <summary>The pids in the first <paramref name="length"/> bytes (ints); zeros (unused slots, or the kernel) left out.</summary>
        internal static List<int> ProcessIds(byte[] buffer, int length)
        {
            Check(buffer, length, 4, "proc_listpids");
            var pids = new List<int>(length / 4);
            for (int at = 0; at < length; at += 4)
            {
                int pid = BitConverter.ToInt32(buffer, at);
                if (pid > 0)
                {
                    pids.Add(pid);
                }
            }

            pids.Sort();
            return pids;
        }

        /// <summary>The descriptors of type <see cref="LibSystem.PROX_FDTYPE_SOCKET"/> among the struct proc_fdinfo records.</summary>
        internal static List<int> SocketDescriptors(byte[] buffer, int length)
        {
            Check(buffer, length, FdInfoSize, "proc_pidinfo(PROC_PIDLISTFDS)");
            var fds = new List<int>();
            for (int at = 0; at < length; at += FdInfoSize)
            {
                if (BitConverter.ToUInt32(buffer, at + FdInfoType) == LibSystem.PROX_FDTYPE_SOCKET)
                {
                    fds.Add(BitConverter.ToInt32(buffer, at));
                }
            }

            return fds;
        }

        /// <summary>The socket's opaque handle (soi_so) from a struct socket_fdinfo.</summary>
        internal static ulong SocketHandle(byte[] buffer, int length)
        {
            if (length < SocketFdInfoHandle + 8 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"proc_pidfdinfo(PROC_PIDFDSOCKETINFO) wrote {length} bytes; a struct socket_fdinfo has {SocketFdInfoSize}.");
            }

            return BitConverter.ToUInt64(buffer, SocketFdInfoHandle);
        }

        /// <summary>pbsi_comm of a struct proc_bsdshortinfo: up to 16 bytes, NUL-terminated when shorter.</summary>
        internal static string ProcessName(byte[] buffer, int length)
        {
            if (length < ShortInfoCommand + 16 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"proc_pidinfo(PROC_PIDT_SHORTBSDINFO) wrote {length} bytes; a struct proc_bsdshortinfo has {ShortInfoSize}.");
            }

            int end = ShortInfoCommand;
            while (end < ShortInfoCommand + 16 && buffer[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(buffer, ShortInfoCommand, end - ShortInfoCommand);
        }

        private static void Check(byte[] buffer, int length, int recordSize, string call)
        {
            if (length < 0 || length > buffer.Length || length % recordSize != 0)
            {
                throw new SocketTableFormatException($"{call} wrote {length} bytes into a buffer of {buffer.Length}: not a whole number of {recordSize}-byte records.");
            }
        }
    }
}
