using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The complete owner lists of one read, from an <see cref="OwnerScanWork"/> that may still be running in
    /// the background or may have been stopped early (Select-Object -First): the first request waits for the
    /// scan, or finishes it, and then builds every list once.
    /// </summary>
    internal sealed class ScanOwnerBook : OwnerBook
    {
        private readonly object _gate = new object();
        private readonly OwnerScanWork _work;
        private readonly Task? _scan;
        private readonly ProcessNameCache _names;
        private readonly OwnerIdentity? _identity;
        private List<(int Pid, int Fd)>?[]? _bySlot;
        private SocketOwnerList?[]? _lists;

        internal ScanOwnerBook(OwnerScanWork work, Task? scan, ProcessNameCache names, OwnerIdentity? identity = null)
        {
            _work = work;
            _scan = scan;
            _names = names;
            _identity = identity;
        }

        internal ProcessNameCache Names => _names;

        internal override OwnerIdentity? Identity => _identity;

        /// <summary>The slot of a wanted inode in this read.</summary>
        internal bool TryGetSlot(ulong inode, out int slot) => _work.TryGetSlot(inode, out slot);

        /// <summary>The lowest pid holding the slot's socket (0 for none), known without completing the lists.</summary>
        internal int LowestOwnerOf(int slot) => _work.LowestOwnerOf(slot);

        /// <summary>
        /// The lowest owner once it is certain: waits for the scan's first pass, and resumes it when it was stopped
        /// early (Select-Object -First); a UNIX socket's peer owner is asked for this way.
        /// </summary>
        internal override int CertainLowestOwnerOf(int slot)
        {
            lock (_gate)
            {
                if (!_work.FirstPassOver)
                {
                    WaitForScan();
                    if (!_work.FirstPassOver)
                    {
                        _work.RunOnAllCores(); // stopped early: go on where it stopped, until every lowest owner is certain
                    }
                }

                return _work.LowestOwnerOf(slot);
            }
        }

        internal override string? NameOf(int pid) => _names.NameOf(pid);

        internal override SocketOwnerList OwnersOf(int slot)
        {
            lock (_gate)
            {
                if (_bySlot is null)
                {
                    Finish();
                    _bySlot = _work.OwnersBySlot();
                    _lists = new SocketOwnerList?[_bySlot.Length];
                }

                return _lists![slot] ??= Build(_bySlot[slot]);
            }
        }

        private void WaitForScan()
        {
            try
            {
                _scan?.Wait();
            }
            catch (AggregateException)
            {
                // The stream reported it; reading again gives the answer or the same failure.
            }
        }

        private void Finish()
        {
            WaitForScan();
            if (!_work.IsComplete)
            {
                _work.ReadAll(); // the first pass stopped once every socket had an owner: read the processes it did not reach
            }
        }

        private SocketOwnerList Build(List<(int Pid, int Fd)>? owners)
        {
            var holders = new SocketHolder[owners?.Count ?? 0];
            for (int i = 0; i < holders.Length; i++)
            {
                (int pid, int fd) = owners![i];
                holders[i] = new SocketHolder(pid, _names.NameOf(pid), fd);
            }

            return new SocketOwnerList(holders, _identity);
        }
    }
}
