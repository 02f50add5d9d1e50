using System;
using System.Collections.Generic;
using System.Threading;
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
        /// Scans the fd tables of <paramref name="pids"/> for the <paramref name="wanted"/> inodes, on every core,
        /// and stops once all are found. Processes are taken in list order (ascending pids) and a socket shared
        /// by several processes goes to the lowest pid (the parent that handed it to its children), so the
        /// result does not depend on which thread got there first.
        /// </summary>
        internal static OwnerScan Scan(IReadOnlyList<int> pids, HashSet<ulong> wanted)
        {
            var work = new ScanWork(pids, wanted);
            int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, pids.Count / 4));
            if (workers == 1 || wanted.Count == 0)
            {
                work.Run();
            }
            else
            {
                System.Threading.Tasks.Parallel.For(0, workers, _ => work.Run());
            }

            return work.Result();
        }

        /// <summary>Shared state of one scan: a queue of processes and one owner slot per wanted inode.</summary>
        private sealed class ScanWork
        {
            private readonly IReadOnlyList<int> _pids;
            private readonly Dictionary<ulong, int> _slotOf;
            private readonly ulong[] _inodes;
            private readonly int[] _owners; // 0 = not found yet
            private readonly List<int> _denied = new List<int>();
            private int _next = -1;
            private int _missing;

            internal ScanWork(IReadOnlyList<int> pids, HashSet<ulong> wanted)
            {
                _pids = pids;
                _slotOf = new Dictionary<ulong, int>(wanted.Count);
                _inodes = new ulong[wanted.Count];
                foreach (ulong inode in wanted)
                {
                    _inodes[_slotOf.Count] = inode;
                    _slotOf.Add(inode, _slotOf.Count);
                }

                _owners = new int[_inodes.Length];
                _missing = _inodes.Length;
            }

            internal void Run()
            {
                byte* link = stackalloc byte[64];
                while (Volatile.Read(ref _missing) > 0)
                {
                    int index = Interlocked.Increment(ref _next);
                    if (index >= _pids.Count)
                    {
                        return;
                    }

                    ScanProcess(_pids[index], link);
                }
            }

            internal OwnerScan Result()
            {
                var scan = new OwnerScan();
                for (int slot = 0; slot < _owners.Length; slot++)
                {
                    if (_owners[slot] != 0)
                    {
                        scan.ProcessByInode.Add(_inodes[slot], _owners[slot]);
                    }
                }

                _denied.Sort();
                scan.DeniedProcesses.AddRange(_denied);
                return scan;
            }

            private void ScanProcess(int pid, byte* link)
            {
                int dirFd = Libc.open("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/fd", Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
                if (dirFd < 0)
                {
                    int errno = Errno.Last;
                    if (errno == Libc.EACCES || errno == Libc.EPERM)
                    {
                        lock (_denied)
                        {
                            _denied.Add(pid);
                        }
                    }

                    return; // ENOENT/ESRCH: the process ended while we looked; skip it silently
                }

                nint dir = Libc.fdopendir(dirFd);
                if (dir == 0)
                {
                    Libc.close(dirFd);
                    return;
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
                        if (TryParseSocketLink(link, (int)length, out ulong inode) && _slotOf.TryGetValue(inode, out int slot))
                        {
                            Claim(slot, pid);
                        }
                    }
                }
                finally
                {
                    Libc.closedir(dir); // also closes dirFd
                }
            }

            /// <summary>Records <paramref name="pid"/> as owner unless a lower pid already holds the slot.</summary>
            private void Claim(int slot, int pid)
            {
                while (true)
                {
                    int current = Volatile.Read(ref _owners[slot]);
                    if (current != 0 && current <= pid)
                    {
                        return;
                    }

                    if (Interlocked.CompareExchange(ref _owners[slot], pid, current) == current)
                    {
                        if (current == 0)
                        {
                            Interlocked.Decrement(ref _missing);
                        }

                        return;
                    }
                }
            }
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
