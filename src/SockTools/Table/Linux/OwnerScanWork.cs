using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Table.Linux.Bpf;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// One owner scan shared by worker threads: a queue of processes (ascending pids) and one slot per wanted
    /// socket inode; each process records the wanted sockets it holds. Lowest-pid owners become final in pid
    /// order: once every process up to pid P is read, no lower pid can still turn up for a socket P holds, so a
    /// consumer can hand those out while the scan goes on (<see cref="TakeFinal"/>).
    /// A first pass stops as soon as every wanted socket has an owner: the lowest ones are then certain, and
    /// that is all most reads use. Any later process may hold a socket too (a pre-fork server's workers, a
    /// service systemd handed its socket to), so the complete lists need every process:
    /// <see cref="ReadAll"/> reads the rest, and only when somebody asks for them.
    /// <para>
    /// With the kernel's task-file iterator (<see cref="UseKernel"/>) one pass at the start reads the socket fds of
    /// every process that has any; /proc/&lt;pid&gt;/fd is then read only for the processes it showed none for
    /// (they usually hold no socket, but a process the kernel hides from the iterator is read, or reported, as before).
    /// </para>
    /// </summary>
    internal sealed unsafe class OwnerScanWork
    {
        private readonly IReadOnlyList<int> _pids;
        private readonly InodeSlots _slotOf;
        private readonly ulong[] _inodes;
        private readonly bool[] _done; // per process index: read to the end
        private readonly (int Slot, int Fd)[]?[] _held; // per process index: wanted sockets it holds, exactly sized (written by its one worker)
        private readonly int[] _lowest; // per slot: the lowest pid seen holding it, 0 for none yet
        private int[] _queue; // the process indices left to read through /proc, ascending
        private bool _useKernel; // set until the kernel's one pass has run (or was found unusable)
        private int _kernelProcesses = -1; // processes the kernel's pass showed sockets for; -1 when it did not run
        private int _readThroughProc; // processes read through /proc/<pid>/fd
        private string _source = "/proc/<pid>/fd";
        private int _kernelPosition; // the kernel's pass has published or passed every process below this pid
        private int _next = -1;
        private int _finished;
        private int _unclaimed;
        private volatile bool _cancelled;
        private volatile bool _readAll;

        /// <param name="pids">The processes to read, ascending.</param>
        /// <param name="wanted">The socket inodes to find owners for (a repeated one gets one slot).</param>
        /// <param name="problems">Where failed reads are recorded.</param>
        /// <param name="expected">How many inodes <paramref name="wanted"/> brings, when the caller knows and it is no collection.</param>
        internal OwnerScanWork(IReadOnlyList<int> pids, IEnumerable<ulong> wanted, OwnerReadProblems problems, int expected = 0)
        {
            _pids = pids;
            Problems = problems;
            // Sized up front when the caller knows how many: at 500,000 sockets, growing by doubling would allocate
            // the list twice over.
            expected = wanted is ICollection<ulong> known ? known.Count : expected;
            var candidates = new List<ulong>(expected);
            candidates.AddRange(wanted);
            _slotOf = new InodeSlots(candidates, out _inodes);
            _lowest = new int[_inodes.Length];
            _unclaimed = _inodes.Length;
            _done = new bool[pids.Count];
            _held = new (int, int)[]?[pids.Count];
            _queue = new int[pids.Count];
            for (int i = 0; i < _queue.Length; i++)
            {
                _queue[i] = i;
            }
        }

        /// <summary>How the owners were read, for -Verbose: "the kernel's task-file iterator", "/proc/&lt;pid&gt;/fd", or both.</summary>
        internal string Source => _kernelProcesses >= 0 && Volatile.Read(ref _readThroughProc) is int read and > 0
            ? $"{_source}, and /proc/<pid>/fd for {read} process(es) it showed no socket for"
            : _source;

        /// <summary>
        /// Reads the socket fds of every process through the kernel's task-file iterator in one pass before any /proc
        /// read, when the scan starts (loading the program on the scan's thread the first time). When it cannot be
        /// used, or its pass fails, everything is left to /proc and <see cref="Source"/> says why.
        /// </summary>
        internal void UseKernel() => _useKernel = true;

        /// <summary>Released once per process read, so a consumer can wait for progress.</summary>
        internal SemaphoreSlim Progress { get; } = new SemaphoreSlim(0);

        /// <summary>What could not be read, for the cmdlet's warnings.</summary>
        internal OwnerReadProblems Problems { get; }

        /// <summary>Number of wanted inodes (slots).</summary>
        internal int Count => _inodes.Length;

        /// <summary>Number of processes in the queue.</summary>
        internal int ProcessCount => _pids.Count;

        /// <summary>True once every process has been read: the owner lists are complete.</summary>
        internal bool IsComplete => _inodes.Length == 0 || Volatile.Read(ref _finished) == _pids.Count;

        /// <summary>
        /// True once the lowest owner of every slot is certain: every wanted socket has an owner, or every process
        /// has been read. False after a <see cref="Cancel"/> that came first.
        /// </summary>
        internal bool FirstPassOver => IsComplete || Volatile.Read(ref _unclaimed) == 0;

        /// <summary>The lowest pid holding the slot's socket, 0 when none does; certain once the first pass has ended.</summary>
        internal int LowestOwnerOf(int slot) => Volatile.Read(ref _lowest[slot]);

        internal ulong InodeOf(int slot) => _inodes[slot];

        internal bool TryGetSlot(ulong inode, out int slot) => _slotOf.TryGetSlot(inode, out slot);

        /// <summary>
        /// Reads processes on every core (one thread for small scans) until every wanted socket has an owner, the
        /// queue ends, or <see cref="Cancel"/>. Also resumes a cancelled scan: the queue keeps its place.
        /// </summary>
        internal void RunOnAllCores() => Run(readAll: false);

        /// <summary>Reads every process not read yet, for complete owner lists.</summary>
        internal void ReadAll() => Run(readAll: true);

        private void Run(bool readAll)
        {
            _cancelled = false;
            _readAll = readAll;
            if (_inodes.Length == 0)
            {
                return; // nothing wanted: OwnerStream and the book never start such a scan
            }

            if (_useKernel)
            {
                _useKernel = false;
                SocketFdProgram? program = SocketFdProgram.Shared(out string? whyNot);
                if (program is null)
                {
                    _source = $"/proc/<pid>/fd (the kernel's task-file iterator cannot be used: {whyNot})";
                }
                else
                {
                    FillFromKernel(program);
                }
            }

            int left = _queue.Length - Math.Min(_queue.Length, Volatile.Read(ref _next) + 1);
            int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, left / 4));
            if (workers == 1)
            {
                Work();
            }
            else
            {
                Parallel.For(0, workers, _ => Work());
            }
        }

        /// <summary>Makes the workers stop after the process each is reading.</summary>
        internal void Cancel() => _cancelled = true;

        /// <summary>
        /// Adds to <paramref name="final"/> the sockets whose lowest-pid owner became certain since the last call,
        /// advancing <paramref name="frontier"/> (the first process index not yet known to be read). Stops after the
        /// process that brings <paramref name="final"/> to <paramref name="enough"/> entries, and then returns true: more
        /// may be certain already. (A kernel pass makes every owner certain at once; one batch of them all would
        /// grow a list of 500,000 by doubling, 32 bytes a socket of garbage.)
        /// </summary>
        internal bool TakeFinal(ref int frontier, bool[] handedOut, List<(int Slot, int Pid, int Fd)> final, int enough = int.MaxValue)
        {
            // Behind the kernel's pass, a process it did not publish has no socket it shows: passed, not waited for. (If
            // /proc finds sockets of such a process later, TakeRest hands them out.) The position is read before the
            // done flag: the pass sets the flag first, so a position past this process means its flag is final.
            while (frontier < _pids.Count)
            {
                bool passed = _pids[frontier] < Volatile.Read(ref _kernelPosition);
                if (!Volatile.Read(ref _done[frontier]))
                {
                    if (!passed)
                    {
                        break;
                    }

                    frontier++;
                    continue;
                }

                HandOut(frontier, handedOut, final);
                frontier++;
                if (final.Count >= enough)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Once the scan has ended: the wanted sockets not handed out yet that have an owner, with their lowest owner
        /// among the processes read. Only the processes the kernel's pass passed and /proc then read can leave any.
        /// </summary>
        internal void TakeRest(bool[] handedOut, List<(int Slot, int Pid, int Fd)> final)
        {
            for (int index = 0; index < _pids.Count; index++)
            {
                if (Volatile.Read(ref _done[index]))
                {
                    HandOut(index, handedOut, final);
                }
            }
        }

        /// <summary>Adds the sockets of process <paramref name="index"/> not handed out yet, with that process as their owner.</summary>
        private void HandOut(int index, bool[] handedOut, List<(int Slot, int Pid, int Fd)> final)
        {
            int pid = _pids[index];
            foreach ((int slot, int fd) in _held[index] ?? Array.Empty<(int, int)>())
            {
                if (!handedOut[slot])
                {
                    handedOut[slot] = true;
                    final.Add((slot, pid, fd));
                }
            }
        }

        /// <summary>Every owner of every slot, lowest pid first (then lowest fd); call once the scan is complete.</summary>
        internal List<(int Pid, int Fd)>?[] OwnersBySlot()
        {
            var bySlot = new List<(int Pid, int Fd)>?[_inodes.Length];
            for (int index = 0; index < _pids.Count; index++)
            {
                (int Slot, int Fd)[]? held = _held[index];
                if (held is null)
                {
                    continue;
                }

                Array.Sort(held, (a, b) => a.Fd.CompareTo(b.Fd));
                foreach ((int slot, int fd) in held)
                {
                    (bySlot[slot] ??= new List<(int, int)>(1)).Add((_pids[index], fd));
                }
            }

            return bySlot;
        }

        /// <summary>Keeps the lowest pid per slot; counts a slot's first owner.</summary>
        private void Claim(int slot, int pid)
        {
            while (true)
            {
                int current = Volatile.Read(ref _lowest[slot]);
                if (current != 0 && current <= pid)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _lowest[slot], pid, current) == current)
                {
                    if (current == 0)
                    {
                        Interlocked.Decrement(ref _unclaimed);
                    }

                    return;
                }
            }
        }

        /// <summary>
        /// The kernel's pass: the socket fds of every process (its main thread's file table, as /proc/&lt;pid&gt;/fd
        /// shows it), in ascending pid order. Each process is published as soon as the pass moves past it, so the
        /// consumer builds entries while the pass goes on; <see cref="_kernelPosition"/> then tells it that every
        /// process below it that was not published has no socket the kernel shows. A pass that fails keeps what it
        /// published (those processes were read to the end) and leaves the rest to /proc.
        /// </summary>
        private void FillFromKernel(SocketFdProgram program)
        {
            var indexOf = new Dictionary<int, int>(_pids.Count);
            for (int i = 0; i < _pids.Count; i++)
            {
                indexOf[_pids[i]] = i;
            }

            var current = new List<(int Slot, int Fd)>();
            int published = 0;
            int lastPid = -1;
            int lastIndex = -1;
            void Publish()
            {
                if (lastIndex >= 0)
                {
                    (int Slot, int Fd)[]? held = current.Count == 0 ? null : current.ToArray();
                    foreach ((int slot, _) in held ?? Array.Empty<(int, int)>())
                    {
                        Claim(slot, lastPid);
                    }

                    _held[lastIndex] = held;
                    Volatile.Write(ref _done[lastIndex], true);
                    Interlocked.Increment(ref _finished);
                    published++;
                    Progress.Release();
                }

                current.Clear();
            }

            bool read = program.TryRead(
                (pid, fd, inode) =>
                {
                    if (pid != lastPid)
                    {
                        Publish();
                        Volatile.Write(ref _kernelPosition, pid); // every pid below is final: published, or without a socket
                        lastPid = pid;
                        lastIndex = indexOf.TryGetValue(pid, out int index) && !Volatile.Read(ref _done[index])
                            ? index
                            : -1; // started after /proc was listed (or, never expected, met twice): not ours to publish
                    }

                    if (lastIndex >= 0 && _slotOf.TryGetSlot(inode, out int slot))
                    {
                        current.Add((slot, fd));
                    }
                },
                out string? failure);
            if (read)
            {
                Publish();
                Volatile.Write(ref _kernelPosition, int.MaxValue);
            }

            var queue = new List<int>();
            for (int index = 0; index < _pids.Count; index++)
            {
                if (!Volatile.Read(ref _done[index]))
                {
                    queue.Add(index);
                }
            }

            _queue = queue.ToArray();
            _kernelProcesses = published;
            _source = read
                ? $"the kernel's task-file iterator ({published} process(es) with sockets)"
                : $"/proc/<pid>/fd (the kernel's task-file iterator failed: {failure}; {published} process(es) read before it)";
        }

        private void Work()
        {
            byte* link = stackalloc byte[64];

            // One buffer per worker, copied out at its exact size for each process: per-process lists grown by doubling
            // held up to twice what they needed, and left their smaller copies to the collector (megabytes at 500,000).
            var held = new List<(int Slot, int Fd)>();
            while (!_cancelled && (_readAll || Volatile.Read(ref _unclaimed) > 0))
            {
                int next = Interlocked.Increment(ref _next);
                if (next >= _queue.Length)
                {
                    return;
                }

                int index = _queue[next];

                held.Clear();
                int pid = _pids[index];
                Interlocked.Increment(ref _readThroughProc);
                ProcFdScanner.ReadSockets(
                    pid,
                    link,
                    (inode, fd) =>
                    {
                        if (_slotOf.TryGetSlot(inode, out int slot))
                        {
                            held.Add((slot, fd));
                            Claim(slot, pid);
                        }
                    },
                    Problems);

                _held[index] = held.Count == 0 ? null : held.ToArray();
                Volatile.Write(ref _done[index], true);
                Interlocked.Increment(ref _finished);
                Progress.Release();
            }
        }
    }
}
