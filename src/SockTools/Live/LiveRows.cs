using System;
using System.Collections.Generic;
using SockTools.Watch;

namespace SockTools.Live
{
    /// <summary>
    /// The rows of the live view, kept from the watch's changes: Opened adds a row marked new, Changed replaces its
    /// entry and marks it, Closed marks it closed; marks fade and closed rows go after <see cref="MarkFor"/>. Pure (no
    /// table, no clock of its own), so what the view shows is tested without a terminal.
    /// </summary>
    internal sealed class LiveRows
    {
        private readonly Dictionary<SocketKey, LiveRow> _rows = new Dictionary<SocketKey, LiveRow>();

        internal LiveRows(TimeSpan markFor) => MarkFor = markFor;

        /// <summary>How long a row stays marked new or changed, and a closed row stays on screen.</summary>
        internal TimeSpan MarkFor { get; }

        internal int Count => _rows.Count;

        /// <summary>The first look: what already exists is not news, so it comes unmarked.</summary>
        internal void Start(IEnumerable<SocketChange> existing, DateTime now)
        {
            foreach (SocketChange change in existing)
            {
                var key = new SocketKey(change.Entry);
                _rows[key] = new LiveRow(key, change.Entry, LiveMark.None, now);
            }
        }

        /// <summary>Applies one look's changes, then fades old marks and drops rows closed long enough ago.</summary>
        internal void Apply(IEnumerable<SocketChange> changes, DateTime now)
        {
            foreach (SocketChange change in changes)
            {
                var key = new SocketKey(change.Entry);
                _rows.TryGetValue(key, out LiveRow? row);
                switch (change.ChangeType)
                {
                    case ChangeType.Opened:
                        _rows[key] = new LiveRow(key, change.Entry, LiveMark.New, now);
                        break;
                    case ChangeType.Changed when row is not null:
                        row.Entry = change.Entry;
                        row.PreviousState = change.PreviousState;
                        // A row still marked new stays new (green): it is news either way, and opened counts more.
                        if (row.Mark != LiveMark.New)
                        {
                            row.Mark = LiveMark.Changed;
                            row.MarkedAt = now;
                        }

                        break;
                    case ChangeType.Changed:
                        _rows[key] = new LiveRow(key, change.Entry, LiveMark.Changed, now) { PreviousState = change.PreviousState };
                        break;
                    case ChangeType.Closed when row is not null:
                        row.Mark = LiveMark.Closed;
                        row.MarkedAt = now;
                        break;

                    // A socket closed that no look saw open (a destroy notification of a short connection): nothing
                    // on screen to mark.
                }
            }

            Fade(now);
        }

        /// <summary>Every row, closed ones included, in no particular order (the view sorts).</summary>
        internal List<LiveRow> Snapshot() => new List<LiveRow>(_rows.Values);

        private void Fade(DateTime now)
        {
            List<SocketKey>? gone = null;
            foreach (LiveRow row in _rows.Values)
            {
                if (row.Mark == LiveMark.None || now - row.MarkedAt < MarkFor)
                {
                    continue;
                }

                if (row.Mark == LiveMark.Closed)
                {
                    (gone ??= new List<SocketKey>()).Add(row.Key);
                }
                else
                {
                    row.Mark = LiveMark.None;
                }
            }

            if (gone is not null)
            {
                foreach (SocketKey key in gone)
                {
                    _rows.Remove(key);
                }
            }
        }
    }
}
