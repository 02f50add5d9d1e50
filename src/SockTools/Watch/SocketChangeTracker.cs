using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Watch
{
    /// <summary>
    /// Diffs successive looks at the socket table into changes, row by row: a socket seen before in the same
    /// state costs one lookup and nothing else, one in another state a new entry carrying its owners, and only
    /// sockets no look knew go to the owner lookup. One dictionary lives across looks (stamped with the look
    /// that last saw each socket) instead of a new one per look, so a steady table allocates nothing per poll.
    /// Holds the latest look only, so memory stays flat however long a watch runs.
    /// </summary>
    internal sealed class SocketChangeTracker : ISocketLooks
    {
        private readonly DestroyedSockets _destroyed = new DestroyedSockets();
        private readonly Dictionary<SocketKey, TrackedSocket> _tracked = new Dictionary<SocketKey, TrackedSocket>();

        // Cookies of the entries of the previous look and of this one (see ISocketLooks.Knows): kept up to date as
        // sockets come and go, rather than gathered from every entry at each look. Keyed with the namespace: see SocketCookie.
        private readonly HashSet<SocketCookie> _cookies = new HashSet<SocketCookie>();
        private readonly List<SocketCookie> _retiredCookies = new List<SocketCookie>();
        private readonly List<SocketRecord> _fresh = new List<SocketRecord>();
        private readonly List<SocketKey> _gone = new List<SocketKey>();

        // A look's state changes and the owner lookup's entries, applied only once the lookup has succeeded.
        private readonly List<(TrackedSocket Known, SocketEntry Moved)> _moved = new List<(TrackedSocket Known, SocketEntry Moved)>();
        private readonly List<SocketEntry> _attached = new List<SocketEntry>();
        private LookOrder _previousOrder = new LookOrder();
        private LookOrder _order = new LookOrder();
        private int _look;

        /// <summary>Destroy events left out because they name no connection (see <see cref="DestroyedSockets"/>).</summary>
        internal int UnidentifiableDestroyed => _destroyed.Unidentifiable;

        /// <summary>Takes the first look; reports its sockets as Opened only when asked to.</summary>
        internal List<SocketChange> Start(List<SocketRecord> rows, Func<List<SocketRecord>, IEnumerable<SocketEntry>> attach, DateTime now, bool reportExisting)
        {
            List<SocketChange> changes = Update(rows, attach, now);
            return reportExisting ? changes : new List<SocketChange>();
        }

        /// <summary>
        /// Changes since the previous look: Changed in table order, Opened in the order the owner lookup gives the
        /// new sockets, then Closed. Sockets the OS reports destroyed that no look saw lived and died between two
        /// looks: each is reported, one look later, as Closed with no PreviousState (its earlier states were never
        /// seen).
        /// </summary>
        /// <param name="rows">This look's rows.</param>
        /// <param name="attach">
        /// Makes entries, with their owners, for rows no earlier look knew; it applies the owner filters, so a row it
        /// leaves out is left out at later looks too, without asking again, while it stays in the table.
        /// </param>
        /// <param name="now">When this look was taken.</param>
        /// <param name="destroyed">What the OS reported destroyed since the previous look.</param>
        internal List<SocketChange> Update(List<SocketRecord> rows, Func<List<SocketRecord>, IEnumerable<SocketEntry>> attach, DateTime now, IReadOnlyList<SocketEntry>? destroyed = null)
        {
            _look++;
            var changes = new List<SocketChange>();
            _fresh.Clear();
            _attached.Clear();
            _moved.Clear();
            _order.Clear();
            int next = 0; // where the previous look's order is expected to go on
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                var key = new SocketKey(in row);
                TrackedSocket? known = _previousOrder.At(next, in key);
                if (known is null && !_tracked.TryGetValue(key, out known))
                {
                    _fresh.Add(row);
                    continue;
                }

                if (known.LastLook == _look)
                {
                    continue; // the same key twice in one look: the first row stands, as for new sockets below
                }

                next = known.LastLook == _look - 1 ? known.Position + 1 : next;
                known.LastLook = _look;
                _order.Add(in key, known);
                if (known.Entry is SocketEntry earlier && earlier.State != row.State)
                {
                    var moved = SocketEntry.Of(in row, earlier);
                    _moved.Add((known, moved));
                    changes.Add(new SocketChange(now, ChangeType.Changed, earlier.State, moved.State, moved));
                }
            }

            // The owner lookup may fail (the watch then reports an error and compares its next look with the last
            // good one): its entries are all taken before anything tracked changes, so a failed look loses nothing.
            if (_fresh.Count > 0)
            {
                _attached.AddRange(attach(_fresh));
            }

            foreach ((TrackedSocket known, SocketEntry moved) in _moved)
            {
                SocketEntry earlier = known.Entry!;
                known.Entry = moved;
                Retire(SocketCookie.Of(earlier), SocketCookie.Of(moved));
            }

            _moved.Clear();
            if (_fresh.Count > 0)
            {
                AddFresh(now, changes);
            }

            _gone.Clear();
            foreach (KeyValuePair<SocketKey, TrackedSocket> pair in _tracked)
            {
                if (pair.Value.LastLook != _look)
                {
                    _gone.Add(pair.Key);
                    if (pair.Value.Entry is SocketEntry closed)
                    {
                        changes.Add(new SocketChange(now, ChangeType.Closed, closed.State, null, closed));
                        _destroyed.ReportedClosed(closed, now);
                    }
                }
            }

            // The destroy events are weighed while the sockets that just closed are still known (the previous look).
            foreach (SocketEntry gone in _destroyed.News(destroyed, this, now))
            {
                changes.Add(new SocketChange(now, ChangeType.Closed, null, null, gone));
            }

            Forget();
            (_previousOrder, _order) = (_order, _previousOrder);
            _order.Release();
            return changes;
        }

        /// <inheritdoc/>
        public bool InThisLook(SocketKey key) => _tracked.TryGetValue(key, out TrackedSocket? known) && known.Entry is not null && known.LastLook == _look;

        /// <inheritdoc/>
        public bool InEitherLook(SocketKey key) => _tracked.TryGetValue(key, out TrackedSocket? known) && known.Entry is not null;

        /// <inheritdoc/>
        public bool Knows(SocketCookie cookie) => _cookies.Contains(cookie);

        /// <summary>Entries (owners looked up, owner filters applied) for the rows no look knew; Opened for each.</summary>
        private void AddFresh(DateTime now, List<SocketChange> changes)
        {
            foreach (SocketEntry entry in _attached)
            {
                var key = new SocketKey(entry);
                if (!_tracked.ContainsKey(key))
                {
                    var tracked = new TrackedSocket(entry, _look);
                    _tracked.Add(key, tracked);
                    _order.Add(in key, tracked);
                    if (SocketCookie.Of(entry) is SocketCookie cookie)
                    {
                        _cookies.Add(cookie);
                    }

                    changes.Add(new SocketChange(now, ChangeType.Opened, null, entry.State, entry));
                }
            }

            foreach (SocketRecord row in _fresh)
            {
                var key = new SocketKey(in row);
                if (!_tracked.ContainsKey(key))
                {
                    var tracked = new TrackedSocket(null, _look); // left out by the owner filters
                    _tracked.Add(key, tracked);
                    _order.Add(in key, tracked);
                }
            }

            _attached.Clear();
        }

        /// <summary>A socket that changed state may have a new cookie (a TIME_WAIT socket is a new kernel object).</summary>
        private void Retire(SocketCookie? earlier, SocketCookie? now)
        {
            if (now is SocketCookie current && _cookies.Add(current) && earlier is SocketCookie old)
            {
                _retiredCookies.Add(old);
            }
        }

        /// <summary>After a look: what only the previous look knew is forgotten.</summary>
        private void Forget()
        {
            foreach (SocketKey key in _gone)
            {
                if (SocketCookie.Of(_tracked[key].Entry) is SocketCookie cookie)
                {
                    _cookies.Remove(cookie);
                }

                _tracked.Remove(key);
            }

            foreach (SocketCookie cookie in _retiredCookies)
            {
                _cookies.Remove(cookie);
            }

            _gone.Clear();
            _retiredCookies.Clear();
        }
    }
}
