using System;
using System.Collections.Generic;
using System.Globalization;
using SockTools.Live;

namespace SockTools.LiveView
{
    /// <summary>One column of the view: its header (a property name, as the default views have) and its text per row.</summary>
    internal sealed class GridColumn
    {
        internal GridColumn(string header, Func<SocketEntry, string> text, Comparison<SocketEntry> order, bool alignRight = false)
        {
            Header = header;
            Text = text;
            Order = order;
            AlignRight = alignRight;
        }

        internal string Header { get; }

        internal Func<SocketEntry, string> Text { get; }

        /// <summary>How rows sort by this column: numbers as numbers, endpoints by address then port.</summary>
        internal Comparison<SocketEntry> Order { get; }

        internal bool AlignRight { get; }

        /// <summary>Set by <see cref="GridColumns.Fit"/>: as wide as the widest value shown (or the header).</summary>
        internal int Width { get; set; }
    }

    /// <summary>
    /// The columns and how they fit the terminal: never a value cut (as the default views), so a column that does not
    /// fit is left out, the least needed first (PID, then Proto), and the process name takes the rest.
    /// </summary>
    internal static class GridColumns
    {
        /// <summary>
        /// Before the columns: one character saying what happened to the row, readable without colour (+ opened,
        /// - closed, ~ state changed), and one for rows selected with Space (*).
        /// </summary>
        internal const int MarkWidth = 2;

        internal static readonly GridColumn[] All =
        {
            new GridColumn("Proto", e => e.Protocol.ToString(), (a, b) => a.Protocol.CompareTo(b.Protocol)),
            new GridColumn("State", e => e.State.ToString(), (a, b) => a.State.CompareTo(b.State)),
            // A UNIX socket (-Protocol Unix, -Path) has no ports: its path is its Local, it has no Remote, and it sorts by path.
            new GridColumn("Local", e => e.LocalEndpoint ?? string.Empty, (a, b) => CompareEndpoint(a.LocalValue, a.LocalPort ?? 0, b.LocalValue, b.LocalPort ?? 0)),
            new GridColumn("Remote", e => e.RemoteEndpoint ?? string.Empty, (a, b) => CompareEndpoint(a.RemoteValue, a.RemotePort ?? 0, b.RemoteValue, b.RemotePort ?? 0)),
            new GridColumn("PID", e => e.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, (a, b) => Nullable.Compare(a.ProcessId, b.ProcessId), alignRight: true),
            new GridColumn("Process", e => e.ProcessName ?? string.Empty, (a, b) => string.Compare(a.ProcessName, b.ProcessName, StringComparison.OrdinalIgnoreCase)),
        };

        /// <summary>The columns that fit <paramref name="width"/> for these rows, widths set, in display order.</summary>
        internal static List<GridColumn> Fit(IReadOnlyList<LiveRow> rows, int width)
        {
            foreach (GridColumn column in All)
            {
                int widest = column.Header.Length + 1; // room for the sort arrow
                foreach (LiveRow row in rows)
                {
                    widest = Math.Max(widest, column.Text(row.Entry).Length);
                }

                column.Width = widest;
            }

            // Left out in this order until the rest fits (one space between columns, after the mark).
            var shown = new List<GridColumn>(All);
            string[] dropOrder = { "PID", "Proto", "Process", "State" };
            foreach (string header in dropOrder)
            {
                if (Needed(shown) <= width)
                {
                    break;
                }

                shown.RemoveAll(c => c.Header == header);
            }

            return shown;
        }

        private static int Needed(List<GridColumn> columns)
        {
            int total = MarkWidth;
            foreach (GridColumn column in columns)
            {
                total += 1 + column.Width;
            }

            return total;
        }

        private static int CompareEndpoint(AddressValue a, int aPort, AddressValue b, int bPort)
        {
            int order = a.IsV6.CompareTo(b.IsV6);
            if (order == 0)
            {
                order = a.High.CompareTo(b.High);
            }

            if (order == 0)
            {
                order = a.Low.CompareTo(b.Low);
            }

            return order != 0 ? order : aPort.CompareTo(bPort);
        }
    }
}
