using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Watch
{
    /// <summary>
    /// Diffs successive looks at the socket table into changes, row by row: a socket seen before in the same
    /// state costs a lookup and nothing else, one in another state a new entry carrying its owners, and only
    /// sockets no look knew go to the owner lookup. Holds the latest look only, so memory stays flat however
    /// long a watch runs.
    /// </summary>
    internal sealed class SocketChangeTracker
    {
        private readonly DestroyedSockets _destroyed = new DestroyedSockets();
        private Dictionary<SocketKey, SocketEntry> _known = new Dictionary<SocketKey, SocketEntry>();
        private HashSet<SocketKey> _leftOut = new HashSet<SocketKey>();

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
            var changes = new List<SocketChange>();
            var current = new Dictionary<SocketKey, SocketEntry>(_known.Count);
            var leftOut = new HashSet<SocketKey>();
            var fresh = new List<SocketRecord>();
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                var key = new SocketKey(in row);
                if (_known.TryGetValue(key, out SocketEntry? earlier))
                {
                    if (earlier.State == row.State)
                    {
                        current[key] = earlier;
                    }
                    else
                    {
                        var moved = new SocketEntry(in row, earlier);
                        current[key] = moved;
                        changes.Add(new SocketChange(now, ChangeType.Changed, earlier.State, moved.State, moved));
                    }
                }
                else if (_leftOut.Contains(key))
                {
                    leftOut.Add(key);
                }
                else
                {
                    fresh.Add(row);
                }
            }

            if (fresh.Count > 0)
            {
                var taken = new HashSet<SocketKey>();
                foreach (SocketEntry entry in attach(fresh))
                {
                    var key = new SocketKey(entry);
                    if (taken.Add(key) && !current.ContainsKey(key))
                    {
                        current[key] = entry;
                        changes.Add(new SocketChange(now, ChangeType.Opened, null, entry.State, entry));
                    }
                }

                foreach (SocketRecord row in fresh)
                {
                    var key = new SocketKey(in row);
                    if (!taken.Contains(key))
                    {
                        leftOut.Add(key);
                    }
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
            _leftOut = leftOut;
            return changes;
        }
    }
}
