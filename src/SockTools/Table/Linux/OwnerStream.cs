using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Runs an owner scan in the background and hands out (inode, pid) pairs as they become final, so the
    /// first objects reach the pipeline while the rest of /proc/*/fd is still being read. Disposing it
    /// (Select-Object -First, Ctrl+C) stops the workers.
    /// </summary>
    internal sealed class OwnerStream : IDisposable
    {
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

        private readonly OwnerScanWork _work;
        private readonly Task _scan;

        internal OwnerStream(IReadOnlyList<int> pids, HashSet<ulong> wanted)
        {
            _work = new OwnerScanWork(pids, wanted);
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
        }

        /// <summary>Owners in pid order as the scan passes them, then those the early stop left behind.</summary>
        internal IEnumerable<(ulong Inode, int Pid)> Owners()
        {
            var handedOut = new bool[_work.Count];
            var batch = new List<(ulong Inode, int Pid)>();
            int frontier = 0;
            while (true)
            {
                bool finished = _scan.IsCompleted; // read first: nothing finished before it can be missed below
                batch.Clear();
                _work.TakeFinal(ref frontier, handedOut, batch);
                foreach (var owner in batch)
                {
                    yield return owner;
                }

                if (finished)
                {
                    break;
                }

                _work.Progress.Wait(PollInterval);
            }

            _scan.GetAwaiter().GetResult(); // a worker's exception surfaces here
            batch.Clear();
            _work.TakeRest(handedOut, batch);
            foreach (var owner in batch)
            {
                yield return owner;
            }
        }

        /// <summary>The complete result; call after <see cref="Owners"/> has run to the end.</summary>
        internal OwnerScan Result() => _work.Result();

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

            _work.Progress.Dispose();
        }
    }
}
