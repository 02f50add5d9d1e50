using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Runs an owner scan in the background and hands out each socket's lowest-pid owner as soon as it is
    /// certain, so the first objects reach the pipeline while the rest of /proc/*/fd is still being read.
    /// Disposing it (Select-Object -First, Ctrl+C) stops the workers; <see cref="Book"/> finishes the
    /// reading later if somebody asks for an entry's complete owner list.
    /// </summary>
    internal sealed class OwnerStream : IDisposable
    {
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
        private const int BatchSize = 1024; // sockets handed out per batch: one list of this size, reused

        private readonly OwnerScanWork _work;
        private readonly Task _scan;

        internal OwnerStream(IReadOnlyList<int> pids, IEnumerable<ulong> wanted, ProcessNameCache names, OwnerReadProblems problems, OwnerIdentity? identity = null, int expected = 0, bool useKernel = false)
        {
            _work = new OwnerScanWork(pids, wanted, problems, expected);
            if (useKernel)
            {
                _work.UseKernel();
            }

            _scan = Task.Run(() =>
            {
                try
                {
                    _work.RunOnAllCores();
                }
                finally
                {
                    // Wake the consumer at once: its last wait may have begun just before the workers returned.
                    _work.Progress.Release();
                }
            });
            Book = new ScanOwnerBook(_work, _scan, names, identity);
        }

        /// <summary>How the owners were read, for -Verbose; final once <see cref="Owners"/> has ended.</summary>
        internal string Source => _work.Source;

        /// <summary>Number of wanted inodes: each has a slot, numbered from 0.</summary>
        internal int Count => _work.Count;

        /// <summary>The slot of a wanted inode.</summary>
        internal bool TryGetSlot(ulong inode, out int slot) => _work.TryGetSlot(inode, out slot);

        /// <summary>Complete owner lists for the entries of this read.</summary>
        internal ScanOwnerBook Book { get; }

        /// <summary>Each wanted socket that has an owner, with its lowest-pid owner, in pid order as the scan passes them.</summary>
        internal IEnumerable<(ulong Inode, int Slot, int Pid, int Fd)> Owners()
        {
            var handedOut = new bool[_work.Count];
            var batch = new List<(int Slot, int Pid, int Fd)>();
            int frontier = 0;
            int handedOutCount = 0;
            while (true)
            {
                bool finished = _scan.IsCompleted; // read first: nothing finished before it can be missed below
                batch.Clear();
                bool more = _work.TakeFinal(ref frontier, handedOut, batch, BatchSize);
                handedOutCount += batch.Count;
                foreach ((int slot, int pid, int fd) in batch)
                {
                    yield return (_work.InodeOf(slot), slot, pid, fd);
                }

                if (more)
                {
                    continue; // the batch was cut short: take the rest before waiting
                }

                if (finished)
                {
                    break;
                }

                _work.Progress.Wait(PollInterval);
            }

            _scan.GetAwaiter().GetResult(); // a worker's exception surfaces here
            if (handedOutCount < _work.Count)
            {
                batch.Clear();
                _work.TakeRest(handedOut, batch); // owners /proc found behind the kernel's pass
                foreach ((int slot, int pid, int fd) in batch)
                {
                    yield return (_work.InodeOf(slot), slot, pid, fd);
                }
            }
        }

        public void Dispose()
        {
            _work.Cancel();
            try
            {
                _scan.Wait();
            }
            catch (AggregateException)
            {
                // Already surfaced through Owners(), or nobody is listening any more.
            }
        }
    }
}
