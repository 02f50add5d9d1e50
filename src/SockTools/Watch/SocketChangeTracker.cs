using System;
using System.Collections.Generic;

namespace SockTools.Watch
{
    /// <summary>
    /// Diffs successive snapshots of the socket table into changes. Holds only the latest snapshot,
    /// so each update is O(n) and memory stays flat however long a watch runs.
    /// </summary>
    internal sealed class SocketChangeTracker
    {
        private readonly DestroyedSockets _destroyed = new DestroyedSockets();
        private Dictionary<SocketKey, SocketEntry> _known = new Dictionary<SocketKey, SocketEntry>();

        /// <summary>Destroy events left out because they name no connection (see <see cref="DestroyedSockets"/>).</summary>
        internal int UnidentifiableDestroyed => _destroyed.Unidentifiable;

        /// <summary>Takes the first snapshot; reports its sockets as Opened only when asked to.</summary>
        internal List<SocketChange> Start(IEnumerable<SocketEntry> snapshot, DateTime now, bool reportExisting)
        {
            List<SocketChange> changes = Update(snapshot, now);
            return reportExisting ? changes : new List<SocketChange>();
        }

        /// <summary>
        /// Changes since the previous snapshot: Opened and Changed in table order, then Closed. Sockets the OS
        /// reports destroyed that no look saw lived and died between two looks: each is reported, one look later,
        /// as Closed with no PreviousState (its earlier states were never seen).
        /// </summary>
        internal List<SocketChange> Update(IEnumerable<SocketEntry> snapshot, DateTime now, IReadOnlyList<SocketEntry>? destroyed = null)
        {
            var changes = new List<SocketChange>();
            var current = new Dictionary<SocketKey, SocketEntry>(_known.Count);
            foreach (SocketEntry entry in snapshot)
            {
                var key = new SocketKey(entry);
                if (_known.TryGetValue(key, out SocketEntry? earlier))
                {
                    SocketEntry carried = entry.WithOwnerOf(earlier);
                    current[key] = carried;
                    if (earlier.State != entry.State)
                    {
                        changes.Add(new SocketChange(now, ChangeType.Changed, earlier.State, carried.State, carried));
                    }
                }
                else
                {
                    current[key] = entry;
                    changes.Add(new SocketChange(now, ChangeType.Opened, null, entry.State, entry));
                }
            }

            foreach (KeyValuePair<SocketKey, SocketEntry> pair in _known)
            {
                if (!current.ContainsKey(pair.Key))
                {
                    changes.Add(new SocketChange(now, ChangeType.Closed, pair.Value.State, null, pair.Value));
                    _destroyed.ReportedClosed(pair.Value, now);
                }
            }

            foreach (SocketEntry gone in _destroyed.News(destroyed, _known, current, now))
            {
                changes.Add(new SocketChange(now, ChangeType.Closed, null, null, gone));
            }

            _known = current;
            return changes;
        }
    }
}
