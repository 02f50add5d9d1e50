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
        /// <summary>Every process id in /proc, in the order the kernel lists them (ascending).</summary>
        /// <exception cref="NativeCallException">/proc cannot be listed.</exception>
        internal static List<int> AllProcessIds()
        {
            var pids = new List<int>();
            using FdDirectory proc = FdDirectory.Open("/proc");
            Dirent* entry;
            Errno error;
            while ((entry = proc.Next(out error)) != null)
            {
                if (entry->Type == Dirent.DT_DIR && TryParsePid(entry->Name, out int pid))
                {
                    pids.Add(pid);
                }
            }

            return error == Errno.None ? pids : throw new NativeCallException("readdir", error, "/proc");
        }

        /// <summary>
        /// Reads the fd table of one process and hands every socket inode in it, with its fd number, to
        /// <paramref name="onSocket"/>. A process that ended meanwhile reads as empty; a denied or failed
        /// read (also one that fails halfway) is recorded in <paramref name="problems"/>.
        /// </summary>
        internal static void ReadSockets(int pid, byte* link, Action<ulong, int> onSocket, OwnerReadProblems problems)
        {
            if (!FdDirectory.TryOpen("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd", out FdDirectory? fds, out Errno openError, out string call))
            {
                Record(pid, call, openError, problems);
                return;
            }

            using (fds)
            {
                Dirent* entry;
                Errno error;
                while ((entry = fds!.Next(out error)) != null)
                {
                    byte* name = entry->Name;
                    if (name[0] == (byte)'.')
                    {
                        continue;
                    }

                    nint length = Libc.readlinkat(fds.Fd, name, link, 64);
                    if (length < 0)
                    {
                        Errno failure = LastError.Current;
                        if (failure != Errno.ENOENT)
                        {
                            Record(pid, "readlinkat", failure, problems); // ENOENT: that fd was closed since readdir
                        }
                    }
                    else if (TryParseSocketLink(link, (int)length, out ulong inode))
                    {
                        onSocket(inode, ParseFd(name));
                    }
                }

                Record(pid, "readdir", error, problems); // None at the end of the listing
            }
        }

        /// <summary>Sorts one failed call: gone is fine, denied and anything else are problems.</summary>
        private static void Record(int pid, string call, Errno errno, OwnerReadProblems problems)
        {
            if (errno == Errno.None || errno == Errno.ENOENT || errno == Errno.ESRCH)
            {
                return; // the end of the list, or the process ended while we read it
            }

            if (errno == Errno.EACCES || errno == Errno.EPERM)
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

        /// <summary>A directory name of digits only (at most 9 of them) is a process id.</summary>
        private static bool TryParsePid(byte* name, out int pid)
        {
            pid = 0;
            int length = 0;
            for (; name[length] != 0; length++)
            {
                if (length >= 9 || name[length] < (byte)'0' || name[length] > (byte)'9')
                {
                    return false;
                }

                pid = (pid * 10) + (name[length] - '0');
            }

            return length > 0;
        }
    }
}
