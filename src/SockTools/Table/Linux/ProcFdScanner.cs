using System;
using System.Collections.Generic;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>What an owner scan found: which process holds each socket inode, and what it could not read.</summary>
    internal sealed class OwnerScan
    {
        internal Dictionary<ulong, int> ProcessByInode { get; } = new Dictionary<ulong, int>();

        /// <summary>Processes whose /proc/&lt;pid&gt;/fd we were not allowed to read (other users', without root).</summary>
        internal List<int> DeniedProcesses { get; } = new List<int>();
    }

    /// <summary>
    /// Maps socket inodes to processes by reading the links in /proc/&lt;pid&gt;/fd ("socket:[inode]").
    /// The costly part of any owner lookup, so it reads each fd directory through one directory fd
    /// and relative readlinkat calls, and stops as soon as every wanted inode is found.
    /// </summary>
    internal static unsafe class ProcFdScanner
    {
        // struct dirent on 64-bit glibc and musl: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
        private const int DirentNameOffset = 19;
        private const byte DT_DIR = 4;

        /// <summary>Every process id in /proc, in the order the kernel lists them (ascending).</summary>
        internal static List<int> AllProcessIds()
        {
            var pids = new List<int>();
            ForEachEntry("/proc", (name, type) =>
            {
                if (type == DT_DIR && TryParsePid(name, out int pid))
                {
                    pids.Add(pid);
                }

                return true;
            });
            return pids;
        }

        /// <summary>
        /// Scans the fd tables of <paramref name="pids"/> for the <paramref name="wanted"/> inodes on every core,
        /// stopping once all are found, and returns when done. <see cref="OwnerStream"/> does the same while
        /// handing out owners as they become final.
        /// </summary>
        internal static OwnerScan Scan(IReadOnlyList<int> pids, HashSet<ulong> wanted)
        {
            var work = new OwnerScanWork(pids, wanted);
            work.RunOnAllCores();
            return work.Result();
        }

        /// <summary>
        /// Reads the fd table of one process and hands every socket inode in it to <paramref name="onSocket"/>.
        /// Returns false when the process may not be read (another user's, without root); a process
        /// that ended meanwhile reads as empty.
        /// </summary>
        internal static bool ReadSockets(int pid, byte* link, Action<ulong> onSocket)
        {
            int dirFd = Libc.open("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/fd", Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (dirFd < 0)
            {
                int errno = Errno.Last;
                return errno != Libc.EACCES && errno != Libc.EPERM; // ENOENT/ESRCH: gone, nothing to read
            }

            nint dir = Libc.fdopendir(dirFd);
            if (dir == 0)
            {
                Libc.close(dirFd);
                return true;
            }

            try
            {
                nint entry;
                while ((entry = Libc.readdir(dir)) != 0)
                {
                    byte* name = (byte*)entry + DirentNameOffset;
                    if (name[0] == (byte)'.')
                    {
                        continue;
                    }

                    nint length = Libc.readlinkat(dirFd, name, link, 64);
                    if (TryParseSocketLink(link, (int)length, out ulong inode))
                    {
                        onSocket(inode);
                    }
                }
            }
            finally
            {
                Libc.closedir(dir); // also closes dirFd
            }

            return true;
        }

        /// <summary>Parses "socket:[12345]"; anything else (files, pipes, anon inodes, errors) is not a socket.</summary>
        internal static bool TryParseSocketLink(byte* link, int length, out ulong inode)
        {
            inode = 0;
            const int prefix = 8; // "socket:["
            if (length < prefix + 2 || link[0] != (byte)'s' || link[6] != (byte)':' || link[7] != (byte)'[' || link[length - 1] != (byte)']')
            {
                return false;
            }

            for (int i = prefix; i < length - 1; i++)
            {
                uint digit = (uint)(link[i] - '0');
                if (digit > 9)
                {
                    return false;
                }

                inode = (inode * 10) + digit;
            }

            return true;
        }

        private static bool TryParsePid(string name, out int pid)
        {
            pid = 0;
            if (name.Length == 0 || name.Length > 9)
            {
                return false;
            }

            foreach (char c in name)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                pid = (pid * 10) + (c - '0');
            }

            return true;
        }

        /// <summary>Lists a directory's entries (name, d_type); the callback returns false to stop.</summary>
        private static void ForEachEntry(string path, Func<string, byte, bool> onEntry)
        {
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                throw Errno.Exception("open", path);
            }

            nint dir = Libc.fdopendir(fd);
            if (dir == 0)
            {
                Libc.close(fd);
                throw Errno.Exception("fdopendir", path);
            }

            try
            {
                nint entry;
                while ((entry = Libc.readdir(dir)) != 0)
                {
                    byte* name = (byte*)entry + DirentNameOffset;
                    string text = new string((sbyte*)name);
                    if (!onEntry(text, ((byte*)entry)[18]))
                    {
                        break;
                    }
                }
            }
            finally
            {
                Libc.closedir(dir);
            }
        }
    }
}
