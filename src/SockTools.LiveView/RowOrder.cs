using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SockTools.Live;

namespace SockTools.LiveView
{
    /// <summary>Which rows show and in what order: the typed filter, then the sort column and direction.</summary>
    internal sealed class RowOrder
    {
        /// <summary>The column rows sort by (an index into <see cref="GridColumns.All"/>); Local by default, as ss lists.</summary>
        internal int SortColumn { get; set; } = 2;

        internal bool Descending { get; set; }

        /// <summary>Text typed to filter; a row shows when its local or remote endpoint, pid or process name contains it.</summary>
        internal string Filter { get; set; } = string.Empty;

        /// <summary>Sort by <paramref name="column"/>; asked twice, the direction turns.</summary>
        internal void SortBy(int column)
        {
            if (column == SortColumn)
            {
                Descending = !Descending;
            }
            else
            {
                SortColumn = Math.Max(0, Math.Min(GridColumns.All.Length - 1, column));
                Descending = false;
            }
        }

        internal List<LiveRow> Apply(IEnumerable<LiveRow> rows)
        {
            Comparison<SocketEntry> order = GridColumns.All[SortColumn].Order;
            IEnumerable<LiveRow> shown = Filter.Length == 0 ? rows : rows.Where(r => Matches(r.Entry, Filter));
            List<LiveRow> list = shown.ToList();

            // Ties broken by local endpoint, so rows do not jump between refreshes.
            Comparison<SocketEntry> local = GridColumns.All[2].Order, remote = GridColumns.All[3].Order;
            list.Sort((a, b) =>
            {
                int byColumn = order(a.Entry, b.Entry);
                if (Descending)
                {
                    byColumn = -byColumn;
                }

                if (byColumn != 0)
                {
                    return byColumn;
                }

                int byLocal = local(a.Entry, b.Entry);
                return byLocal != 0 ? byLocal : remote(a.Entry, b.Entry);
            });
            return list;
        }

        internal static bool Matches(SocketEntry entry, string filter)
            => Contains(entry.LocalEndpoint, filter)
            || Contains(entry.RemoteEndpoint, filter)
            || Contains(entry.ProcessName, filter)
            || Contains(entry.ProcessId?.ToString(CultureInfo.InvariantCulture), filter)
            || Contains(entry.State.ToString(), filter);

        private static bool Contains(string? text, string filter) => text is not null && text.IndexOf(filter, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
