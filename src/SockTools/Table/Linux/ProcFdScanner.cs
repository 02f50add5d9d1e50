using System;
using System.Collections.Generic;
using System.Globalization;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Maps socket inodes to processes by reading the links in /proc/&lt;pid&gt;/fd ("socket:[inode]").
    /// The costly part of any owner lookup, so it reads each fd directory through one directory fd
    /// and relative readlinkat calls. Only "the process is gone" (ENOENT, ESRCH) passes in silence:
    /// every other failure is handed to <see cref="OwnerReadProblems"/> for the cmdlet to report.
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
        /// Reads the fd table of one process and hands every socket inode in it, with its fd number, to
        /// <paramref name="onSocket"/>. A process that ended meanwhile reads as empty; a denied or failed
        /// read (also one that fails halfway) is recorded in <paramref name="problems"/>.
        /// </summary>
        internal static void ReadSockets(int pid, byte* link, Action<ulong, int> onSocket, OwnerReadProblems problems)
        {
            int dirFd = Libc.open("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd", Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (dirFd < 0)
            {
                Record(pid, "open", Errno.Last, problems);
                return;
            }

            nint dir = Libc.fdopendir(dirFd);
            if (dir == 0)
            {
                Record(pid, "fdopendir", Errno.Last, problems);
                Libc.close(dirFd);
                return;
            }

            try
            {
                while (true)
                {
                    // readdir returns NULL both at the end and on failure; only errno tells them apart.
                    Errno.Clear();
                    nint entry = Libc.readdir(dir);
                    if (entry == 0)
                    {
                        Record(pid, "readdir", Errno.Last, problems);
                        return;
                    }

                    byte* name = (byte*)entry + DirentNameOffset;
                    if (name[0] == (byte)'.')
                    {
                        continue;
                    }

                    nint length = Libc.readlinkat(dirFd, name, link, 64);
                    if (length < 0)
                    {
                        int errno = Errno.Last;
                        if (errno != Libc.ENOENT)
                        {
                            Record(pid, "readlinkat", errno, problems); // ENOENT: that fd was closed since readdir
                        }
                    }
                    else if (TryParseSocketLink(link, (int)length, out ulong inode))
                    {
                        onSocket(inode, ParseFd(name));
                    }
                }
            }
            finally
            {
                Libc.closedir(dir); // also closes dirFd
            }
        }

        /// <summary>Sorts one failed call: gone is fine, denied and anything else are problems.</summary>
        private static void Record(int pid, string call, int errno, OwnerReadProblems problems)
        {
            if (errno == 0 || errno == Libc.ENOENT || errno == Libc.ESRCH)
            {
                return; // the end of the list, or the process ended while we read it
            }

            if (errno == Libc.EACCES || errno == Libc.EPERM)
            {
                problems.Denied(pid);
            }
            else
            {
                problems.Failed(pid, $"{call}(/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd)", errno);
            }
        }

        /// <summary>The fd number that names an entry of /proc/&lt;pid&gt;/fd.</summary>
        private static int ParseFd(byte* name)
        {
            int fd = 0;
            for (int i = 0; name[i] >= (byte)'0' && name[i] <= (byte)'9'; i++)
            {
                fd = (fd * 10) + (name[i] - '0');
            }

            return fd;
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
                while (true)
                {
                    Errno.Clear();
                    nint entry = Libc.readdir(dir);
                    if (entry == 0)
                    {
                        if (Errno.Last != 0)
                        {
                            throw Errno.Exception("readdir", path);
                        }

                        break;
                    }

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
