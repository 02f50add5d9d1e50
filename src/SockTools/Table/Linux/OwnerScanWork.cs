using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// One owner scan shared by worker threads: a queue of processes (ascending pids) and one slot per wanted
    /// socket inode. Every process is read, because any of them may hold a socket too (a pre-fork server's
    /// workers, a service systemd handed its socket to); each process records the wanted sockets it holds.
    /// Lowest-pid owners become final in pid order: once every process up to pid P is read, no lower pid
    /// can still turn up for a socket P holds, so a consumer can hand those out while the scan goes on
    /// (<see cref="TakeFinal"/>). The complete lists exist only when every process is read.
    /// </summary>
    internal sealed unsafe class OwnerScanWork
    {
        private readonly IReadOnlyList<int> _pids;
        private readonly Dictionary<ulong, int> _slotOf;
        private readonly ulong[] _inodes;
        private readonly bool[] _done; // per process index: read to the end
        private readonly List<(int Slot, int Fd)>?[] _held; // per process index: wanted sockets it holds (written by its one worker)
        private int _next = -1;
        private int _finished;
        private volatile bool _cancelled;

        internal OwnerScanWork(IReadOnlyList<int> pids, IEnumerable<ulong> wanted, OwnerReadProblems problems)
        {
            _pids = pids;
            Problems = problems;
            _slotOf = new Dictionary<ulong, int>();
            var inodes = new List<ulong>();
            foreach (ulong inode in wanted)
            {
                if (!_slotOf.ContainsKey(inode))
                {
                    _slotOf.Add(inode, inodes.Count);
                    inodes.Add(inode);
                }
            }

            _inodes = inodes.ToArray();
            _done = new bool[pids.Count];
            _held = new List<(int, int)>?[pids.Count];
        }

        /// <summary>Released once per process read, so a consumer can wait for progress.</summary>
        internal SemaphoreSlim Progress { get; } = new SemaphoreSlim(0);

        /// <summary>What could not be read, for the cmdlet's warnings.</summary>
        internal OwnerReadProblems Problems { get; }

        /// <summary>Number of wanted inodes (slots).</summary>
        internal int Count => _inodes.Length;

        /// <summary>Number of processes in the queue.</summary>
        internal int ProcessCount => _pids.Count;

        /// <summary>True once every process has been read.</summary>
        internal bool IsComplete => _inodes.Length == 0 || Volatile.Read(ref _finished) == _pids.Count;

        internal ulong InodeOf(int slot) => _inodes[slot];

        internal bool TryGetSlot(ulong inode, out int slot) => _slotOf.TryGetValue(inode, out slot);

        /// <summary>
        /// Reads every process not read yet on every core (one thread for small scans) and returns when done or
        /// cancelled. Also resumes a cancelled scan: the queue keeps its place.
        /// </summary>
        internal void RunOnAllCores()
        {
            _cancelled = false;
            if (_inodes.Length == 0)
            {
                return; // nothing wanted: OwnerStream and the book never start such a scan
            }

            int left = _pids.Count - Math.Min(_pids.Count, Volatile.Read(ref _next) + 1);
            int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, left / 4));
            if (workers == 1)
            {
                Run();
            }
            else
            {
                Parallel.For(0, workers, _ => Run());
            }
        }

        /// <summary>Makes the workers stop after the process each is reading.</summary>
        internal void Cancel() => _cancelled = true;

        /// <summary>
        /// Adds to <paramref name="final"/> every socket whose lowest-pid owner became certain since the last call,
        /// advancing <paramref name="frontier"/> (the first process index not yet known to be read).
        /// </summary>
        internal void TakeFinal(ref int frontier, bool[] handedOut, List<(int Slot, int Pid, int Fd)> final)
        {
            while (frontier < _pids.Count && Volatile.Read(ref _done[frontier]))
            {
                int pid = _pids[frontier];
                foreach ((int slot, int fd) in _held[frontier] ?? (IEnumerable<(int, int)>)Array.Empty<(int, int)>())
                {
                    if (!handedOut[slot])
                    {
                        handedOut[slot] = true;
                        final.Add((slot, pid, fd));
                    }
                }

                frontier++;
            }
        }

        /// <summary>Every owner of every slot, lowest pid first (then lowest fd); call once the scan is complete.</summary>
        internal List<(int Pid, int Fd)>?[] OwnersBySlot()
        {
            var bySlot = new List<(int Pid, int Fd)>?[_inodes.Length];
            for (int index = 0; index < _pids.Count; index++)
            {
                List<(int Slot, int Fd)>? held = _held[index];
                if (held is null)
                {
                    continue;
                }

                held.Sort((a, b) => a.Fd.CompareTo(b.Fd));
                foreach ((int slot, int fd) in held)
                {
                    (bySlot[slot] ??= new List<(int, int)>(1)).Add((_pids[index], fd));
                }
            }

            return bySlot;
        }

        private void Run()
        {
            byte* link = stackalloc byte[64];
            while (!_cancelled)
            {
                int index = Interlocked.Increment(ref _next);
                if (index >= _pids.Count)
                {
                    return;
                }

                List<(int Slot, int Fd)>? held = null;
                ProcFdScanner.ReadSockets(
                    _pids[index],
                    link,
                    (inode, fd) =>
                    {
                        if (_slotOf.TryGetValue(inode, out int slot))
                        {
                            (held ??= new List<(int, int)>()).Add((slot, fd));
                        }
                    },
                    Problems);

                _held[index] = held;
                Volatile.Write(ref _done[index], true);
                Interlocked.Increment(ref _finished);
                Progress.Release();
            }
        }
    }
}
