using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SockTools.Live;

namespace SockTools.LiveView
{
    /// <summary>The two lines under the table: counts per state and the refresh time; the keys or what is being typed.</summary>
    internal static class StatusText
    {
        internal const string Keys = "q quit  / filter  p pause  </> sort  Enter details  Del close  Space select";

        /// <summary>"12:03:04  Established 4  Listen 2  TimeWait 1  +1 -1  [paused]": what the table holds now.</summary>
        internal static string Counts(IReadOnlyList<LiveRow> rows, DateTime? refreshedAt, bool paused, string? failure)
        {
            var text = new StringBuilder();
            text.Append(refreshedAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "--:--:--");
            foreach (IGrouping<SocketState, LiveRow> state in rows.Where(r => r.Mark != LiveMark.Closed).GroupBy(r => r.Entry.State).OrderBy(g => g.Key))
            {
                text.Append("  ").Append(state.Key).Append(' ').Append(state.Count().ToString(CultureInfo.InvariantCulture));
            }

            int opened = rows.Count(r => r.Mark == LiveMark.New), closed = rows.Count(r => r.Mark == LiveMark.Closed);
            if (opened + closed > 0)
            {
                text.Append("  +").Append(opened.ToString(CultureInfo.InvariantCulture)).Append(" -").Append(closed.ToString(CultureInfo.InvariantCulture));
            }

            if (paused)
            {
                text.Append("  [paused]");
            }

            if (failure is not null)
            {
                text.Append("  read failed: ").Append(failure);
            }

            return text.ToString();
        }
    }
}
