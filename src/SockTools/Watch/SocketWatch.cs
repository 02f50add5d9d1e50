using System;
using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Watch
{
    /// <summary>
    /// One watch of the socket table: each look reads the table (reusing owners found before), diffs it with
    /// the previous look, and adds the sockets the OS reports destroyed in between, which no look could see.
    /// Holds the latest look only, so memory stays flat however long it runs. Watch-SockState drives it.
    /// </summary>
    internal sealed class SocketWatch : IDisposable
    {
        private readonly SocketQuery _query;
        private readonly TableSession _session;
        private readonly SocketChangeTracker _tracker = new SocketChangeTracker();
        private readonly DestroyFeeds? _destroyFeeds;

        // Every look reads into this one list: the tracker copies what it keeps, so a steady poll allocates nothing.
        private readonly List<SocketRecord> _rows = new List<SocketRecord>();
        private bool _overflowReported;

        /// <param name="query">What to watch.</param>
        /// <param name="session">Where the reader and the watch explain themselves, and the network namespaces to watch.</param>
        /// <param name="catchShortLived">Use the OS's destroy events for connections shorter than one interval.</param>
        internal SocketWatch(SocketQuery query, TableSession session, bool catchShortLived)
        {
            _query = query;
            _session = session;
            _destroyFeeds = catchShortLived ? new DestroyFeeds(session.Log) : null;
        }

        /// <summary>The first look: every socket there is, as Opened changes only when asked for.</summary>
        /// <exception cref="SocketTableException">The table could not be read.</exception>
        internal List<SocketChange> Start(bool reportExisting)
        {
            List<SocketChange> changes = _tracker.Start(SocketTable.ReadRows(_query, _session, _rows), Attach, DateTime.Now, reportExisting);

            // Sockets destroyed before or during the first look belong to the time before the watch's baseline:
            // reporting them would announce as closed what the watch never saw open (a port probed just before).
            _destroyFeeds?.Follow(_session);
            _destroyFeeds?.Drain(_query);
            return changes;
        }

        /// <summary>The changes since the previous look.</summary>
        /// <exception cref="SocketTableException">The table could not be read; the next look compares with the last good one.</exception>
        internal List<SocketChange> Look()
        {
            List<SocketRecord> rows = SocketTable.ReadRows(_query, _session, _rows);
            List<SocketEntry>? destroyed = _destroyFeeds?.Drain(_query);

            // After the drain: a namespace that went away still gives what its feed held; one that came gets a feed
            // now, whose sockets destroyed before it belong to the time before this look (as at the start).
            _destroyFeeds?.Follow(_session);
            if (_destroyFeeds is { Overflowed: true } && !_overflowReported)
            {
                _overflowReported = true;
                _session.Log.Warning("DestroyFeedOverflow", "Sockets are closing faster than the kernel's destroy notifications can be read; some connections shorter than one interval may be missing. A shorter -IntervalSeconds helps.");
            }

            int unidentifiable = _tracker.UnidentifiableDestroyed;
            List<SocketChange> changes = _tracker.Update(rows, Attach, DateTime.Now, destroyed);
            if (_tracker.UnidentifiableDestroyed > unidentifiable)
            {
                _session.Log.Verbose($"{_tracker.UnidentifiableDestroyed - unidentifiable} socket(s) destroyed since the last look named no connection (reset by their owner, whose peer the kernel clears first, or never connected); a connection shorter than one interval that ended that way cannot be reported.");
            }

            return changes;
        }

        public void Dispose() => _destroyFeeds?.Dispose();

        /// <summary>
        /// Owners for the sockets no earlier look knew: the only owner lookup a look makes. A UNIX socket's peer owner
        /// is looked up now, from the same scan, rather than when first asked: by then the peer may be long gone.
        /// </summary>
        private IEnumerable<SocketEntry> Attach(List<SocketRecord> fresh)
        {
            var entries = new List<SocketEntry>(SocketTable.Attach(_query, fresh, _session));
            foreach (SocketEntry entry in entries)
            {
                entry.ResolvePeer();
            }

            return entries;
        }
    }
}
