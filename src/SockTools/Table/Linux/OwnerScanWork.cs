using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// One owner scan shared by worker threads: a queue of processes (ascending pids) and one owner slot
    /// per wanted inode. A socket several processes hold goes to the lowest pid (the parent that handed it
    /// to its children), whichever thread gets there first. Workers stop once every inode is found.
    /// Owners become final in pid order: once every process up to pid P is read, no lower pid can claim a
    /// socket P claimed, so a consumer can hand those out while the scan goes on (<see cref="TakeFinal"/>).
    /// </summary>
    internal sealed unsafe class OwnerScanWork
    {
        private readonly IReadOnlyList<int> _pids;
        private readonly Dictionary<ulong, int> _slotOf;
        private readonly ulong[] _inodes;
        private readonly int[] _owners; // pid per slot; 0 = not found yet
        private readonly bool[] _done; // per process index: read to the end
        private readonly List<int>?[] _claimedBy; // per process index: slots it claimed (written by its one worker)
        private readonly List<int> _denied = new List<int>();
        private int _next = -1;
        private int _missing;
        private volatile bool _cancelled;

        internal OwnerScanWork(IReadOnlyList<int> pids, HashSet<ulong> wanted)
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
            _done = new bool[pids.Count];
            _claimedBy = new List<int>?[pids.Count];
        }

        /// <summary>Released once per process read, so a consumer can wait for progress.</summary>
        internal SemaphoreSlim Progress { get; } = new SemaphoreSlim(0);

        /// <summary>Number of wanted inodes (slots).</summary>
        internal int Count => _inodes.Length;

        /// <summary>Runs the scan on every core (one thread for small scans) and returns when it is over.</summary>
        internal void RunOnAllCores()
        {
            int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, _pids.Count / 4));
            if (workers == 1 || _inodes.Length == 0)
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
        /// Adds to <paramref name="final"/> every owner that became final since the last call, advancing
        /// <paramref name="frontier"/> (the first process index not yet known to be read).
        /// </summary>
        internal void TakeFinal(ref int frontier, bool[] handedOut, List<(ulong Inode, int Pid)> final)
        {
            while (frontier < _pids.Count && Volatile.Read(ref _done[frontier]))
            {
                int pid = _pids[frontier];
                foreach (int slot in _claimedBy[frontier] ?? (IEnumerable<int>)Array.Empty<int>())
                {
                    if (!handedOut[slot] && _owners[slot] == pid)
                    {
                        handedOut[slot] = true;
                        final.Add((_inodes[slot], pid));
                    }
                }

                frontier++;
            }
        }

        /// <summary>After the scan: every found owner not handed out yet (processes skipped by the early stop).</summary>
        internal void TakeRest(bool[] handedOut, List<(ulong Inode, int Pid)> rest)
        {
            for (int slot = 0; slot < _owners.Length; slot++)
            {
                if (!handedOut[slot] && _owners[slot] != 0)
                {
                    handedOut[slot] = true;
                    rest.Add((_inodes[slot], _owners[slot]));
                }
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

            lock (_denied)
            {
                _denied.Sort();
                scan.DeniedProcesses.AddRange(_denied);
            }

            return scan;
        }

        private void Run()
        {
            byte* link = stackalloc byte[64];
            while (Volatile.Read(ref _missing) > 0 && !_cancelled)
            {
                int index = Interlocked.Increment(ref _next);
                if (index >= _pids.Count)
                {
                    return;
                }

                int pid = _pids[index];
                List<int>? claimed = null;
                bool readable = ProcFdScanner.ReadSockets(pid, link, inode =>
                {
                    if (_slotOf.TryGetValue(inode, out int slot) && Claim(slot, pid))
                    {
                        (claimed ??= new List<int>()).Add(slot);
                    }
                });

                if (!readable)
                {
                    lock (_denied)
                    {
                        _denied.Add(pid);
                    }
                }

                _claimedBy[index] = claimed;
                Volatile.Write(ref _done[index], true);
                Progress.Release();
            }
        }

        /// <summary>Records <paramref name="pid"/> as owner unless a lower pid already holds the slot.</summary>
        private bool Claim(int slot, int pid)
        {
            while (true)
            {
                int current = Volatile.Read(ref _owners[slot]);
                if (current != 0 && current <= pid)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _owners[slot], pid, current) == current)
                {
                    if (current == 0)
                    {
                        Interlocked.Decrement(ref _missing);
                    }

                    return true;
                }
            }
        }
    }
}
