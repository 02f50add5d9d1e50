// The soak's matching core, compiled by SoakCompare.psm1 with Add-Type: a 30-minute soak logs ~180,000
// connections and ~1 million changes, which a PowerShell loop takes minutes to match and this a second.
// Checks every connection the churn load logged (SockLoad --churn) against every change the watch reported
// (Watch-SoakChanges.ps1). A connection whose ends both lived longer than two intervals must have an
// Opened and a Closed change for each end; if one never appeared, the connection is MISSED.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SockToolsSoak
{
    /// <summary>The watch's changes as UTC ticks per socket, key "local|remote".</summary>
    public sealed class ChangeIndex
    {
        public readonly Dictionary<string, List<long>> Opened = new Dictionary<string, List<long>>();
        public readonly Dictionary<string, List<long>> Closed = new Dictionary<string, List<long>>();

        /// <summary>Closed changes with no PreviousState: they came from destroy notifications, not a snapshot.</summary>
        public readonly Dictionary<string, List<long>> ClosedFromFeed = new Dictionary<string, List<long>>();

        /// <summary>The distinct change timestamps in order: one per poll that reported anything (under the load, every poll).</summary>
        public readonly List<long> PollTimes = new List<long>();

        public readonly SortedDictionary<int, int> PerMinute = new SortedDictionary<int, int>();
        public long OpenedCount, StateChangedCount, ClosedCount, ClosedFromFeedCount;
    }

    /// <summary>What the comparison found; lists are capped (the report shows the first few).</summary>
    public sealed class MatchResult
    {
        public long Made, Required, FullyReported, Missed;

        /// <summary>
        /// Missed connections with fewer than two polls stamped during their life. A poll is stamped when its read
        /// ends and the next read starts after that stamp, so two stamps within a life are the only proof that one
        /// read ran entirely while both ends existed; without one, the watch had fallen behind its interval.
        /// </summary>
        public long MissedWithoutCompleteRead;
        public readonly List<string> MissedList = new List<string>();
        public readonly SortedDictionary<string, long[]> ByClass = new SortedDictionary<string, long[]>(); // made, required, missed
        public long ShortEnds, ShortEndsOpenedSeen, ShortEndsClosedSeen;
        public long ClosedNotDue;
        public long TwiceOpened, TwiceClosed, TwiceClosedWithFeed, TwiceClosedTimeWait, ClosedBeforeOpened;
        public readonly List<string> RepeatedList = new List<string>();
        public readonly List<string> ClosedBeforeOpenedList = new List<string>();
        public long PortZero, Unexplained;
        public readonly List<string> PortZeroList = new List<string>();
        public readonly List<string> UnexplainedList = new List<string>();
        public readonly List<double> OpenedDelayMs = new List<double>();
        public readonly List<double> ClosedDelayMs = new List<double>();
        public readonly List<double> TimeWaitMs = new List<double>();
    }

    public static class SoakMatcher
    {
        // TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60 s on Linux; the kernel's timer wheel may fire a timer that
        // long a few seconds late. An end in TIME_WAIT is due to be reported Closed only if the watch ran at
        // least TimeWaitDue after its close() (the report gives the longest TIME_WAIT seen, as a check).
        private static readonly long TimeWait = TimeSpan.FromSeconds(60).Ticks;
        private static readonly long TimeWaitDue = TimeSpan.FromSeconds(80).Ticks;

        // Changes of an end are looked for from a little before its open to well after it left the table.
        // The load reuses a client end only minutes later (ChurnTuples.cs), so no window holds another connection.
        private static readonly long Before = TimeSpan.FromSeconds(2).Ticks;
        private static readonly long After = TimeSpan.FromSeconds(30).Ticks;

        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        private static long Utc(string text) => DateTime.Parse(text, Invariant, DateTimeStyles.RoundtripKind).ToUniversalTime().Ticks;

        /// <summary>Reads the watch's CSV: utc,change,previous,state,local,remote,pid.</summary>
        public static ChangeIndex ReadChanges(string path, DateTime startUtc)
        {
            var index = new ChangeIndex();
            long start = startUtc.ToUniversalTime().Ticks;
            bool header = true;
            foreach (string line in File.ReadLines(path))
            {
                if (header || line.Length == 0)
                {
                    header = false;
                    continue;
                }

                string[] f = line.Split(',');
                long ticks = Utc(f[0]);
                if (index.PollTimes.Count == 0 || index.PollTimes[index.PollTimes.Count - 1] != ticks)
                {
                    index.PollTimes.Add(ticks);
                }

                int minute = (int)Math.Floor((ticks - start) / (double)TimeSpan.TicksPerMinute);
                index.PerMinute.TryGetValue(minute, out int n);
                index.PerMinute[minute] = n + 1;
                string key = f[4] + "|" + f[5];
                switch (f[1])
                {
                    case "Opened":
                        index.OpenedCount++;
                        Add(index.Opened, key, ticks);
                        break;
                    case "Closed":
                        index.ClosedCount++;
                        Add(index.Closed, key, ticks);
                        if (f[2].Length == 0)
                        {
                            index.ClosedFromFeedCount++;
                            Add(index.ClosedFromFeed, key, ticks);
                        }

                        break;
                    default:
                        index.StateChangedCount++;
                        break;
                }
            }

            return index;
        }

        private static void Add(Dictionary<string, List<long>> table, string key, long ticks)
        {
            if (!table.TryGetValue(key, out List<long>? list))
            {
                list = new List<long>(2);
                table[key] = list;
            }

            list.Add(ticks);
        }

        /// <summary>The earliest tick within [from, to] and how many there are (0 when none).</summary>
        private static int Find(Dictionary<string, List<long>> table, string key, long from, long to, out long first)
        {
            first = long.MaxValue;
            int count = 0;
            if (table.TryGetValue(key, out List<long>? list))
            {
                foreach (long t in list)
                {
                    if (t >= from && t <= to)
                    {
                        count++;
                        first = Math.Min(first, t);
                    }
                }
            }

            return count;
        }

        /// <summary>
        /// Checks every connection of the load's CSV log (SockLoad ChurnLog.cs) against the changes.
        /// watchEndUtc: when the watch stopped, so an end still in TIME_WAIT then is not yet due as Closed.
        /// </summary>
        public static MatchResult Compare(string loadLogPath, ChangeIndex changes, double intervalSeconds, DateTime watchEndUtc, int listMax)
        {
            var r = new MatchResult();
            long watchEnd = watchEndUtc.ToUniversalTime().Ticks;
            var known = new HashSet<string>();
            bool header = true;
            foreach (string line in File.ReadLines(loadLogPath))
            {
                if (header || line.Length == 0)
                {
                    header = false;
                    continue;
                }

                // id,class,close,timeWait,plannedSeconds,client,server,openMono,openUtc,clientCloseMono,clientCloseUtc,serverCloseMono,serverCloseUtc
                string[] f = line.Split(',');
                r.Made++;
                if (!r.ByClass.TryGetValue(f[1], out long[]? byClass))
                {
                    byClass = new long[3];
                    r.ByClass[f[1]] = byClass;
                }

                byClass[0]++;
                double lived = Math.Min(double.Parse(f[9], Invariant), double.Parse(f[11], Invariant)) - double.Parse(f[7], Invariant);
                bool required = lived > 2 * intervalSeconds;
                long open = Utc(f[8]);
                var missing = new List<string>();
                var seen = new List<string>();
                for (int side = 0; side < 2; side++)
                {
                    string name = side == 0 ? "client" : "server";
                    string key = side == 0 ? f[5] + "|" + f[6] : f[6] + "|" + f[5];
                    long close = Utc(side == 0 ? f[10] : f[12]);
                    bool timeWait = f[3] == name;
                    known.Add(key);
                    long gone = close + (timeWait ? TimeWait : 0);
                    int opened = Find(changes.Opened, key, open - Before, gone + After, out long openedAt);
                    int closed = Find(changes.Closed, key, open - Before, gone + After, out long closedAt);
                    int fromFeed = Find(changes.ClosedFromFeed, key, open - Before, gone + After, out _);
                    bool due = !timeWait || close + TimeWaitDue <= watchEnd;
                    string reported = $"{name} end: {opened} Opened, {closed} Closed ({fromFeed} from destroy notifications)";
                    seen.Add(reported);
                    if (required)
                    {
                        if (opened > 0)
                        {
                            r.OpenedDelayMs.Add((openedAt - open) / 10000.0);
                        }
                        else
                        {
                            missing.Add(name + " Opened");
                        }

                        if (closed > 0)
                        {
                            (timeWait ? r.TimeWaitMs : r.ClosedDelayMs).Add((closedAt - close) / 10000.0);
                        }
                        else if (due)
                        {
                            missing.Add(name + " Closed");
                        }
                        else
                        {
                            r.ClosedNotDue++;
                        }
                    }
                    else
                    {
                        r.ShortEnds++;
                        r.ShortEndsOpenedSeen += opened > 0 ? 1 : 0;
                        r.ShortEndsClosedSeen += closed > 0 ? 1 : 0;
                    }

                    // One socket, one life: a second Opened means a snapshot lost a live socket and a later one
                    // found it again; a second Closed reports one end twice.
                    if (opened > 1)
                    {
                        r.TwiceOpened++;
                    }

                    if (closed > 1)
                    {
                        r.TwiceClosed++;
                        r.TwiceClosedWithFeed += fromFeed > 0 ? 1 : 0;
                        r.TwiceClosedTimeWait += timeWait ? 1 : 0;
                        if (!timeWait && r.RepeatedList.Count < listMax)
                        {
                            r.RepeatedList.Add($"connection {f[0]} ({f[1]}, {f[2]}, opened {f[8]}): {key.Replace("|", " -> ")}, {reported}");
                        }
                    }

                    // Closed first and Opened after: the end was reported gone while it was still in the table.
                    if (closed > 0 && opened > 0 && closedAt < openedAt)
                    {
                        r.ClosedBeforeOpened++;
                        if (r.ClosedBeforeOpenedList.Count < listMax)
                        {
                            r.ClosedBeforeOpenedList.Add($"connection {f[0]} ({f[1]}, {f[2]}, opened {f[8]}): {key.Replace("|", " -> ")}, {reported}");
                        }
                    }
                }

                if (!required)
                {
                    continue;
                }

                r.Required++;
                byClass[1]++;
                if (missing.Count == 0)
                {
                    r.FullyReported++;
                    continue;
                }

                r.Missed++;
                byClass[2]++;
                long firstClose = Math.Min(Utc(f[10]), Utc(f[12]));
                string polls = PollsDuring(changes.PollTimes, open, firstClose, out int during);
                r.MissedWithoutCompleteRead += during < 2 ? 1 : 0;
                if (r.MissedList.Count < listMax)
                {
                    r.MissedList.Add($"connection {f[0]} ({f[1]}, {f[2]}, lived {lived * 1000:F0} ms, opened {f[8]}): {f[5]} -> {f[6]}; " +
                        $"missing {string.Join(", ", missing)}; reported: {string.Join("; ", seen)}; {polls}");
                }
            }

            // Changes of sockets the load never made. Its listeners (remote 0.0.0.0:0) are expected. A load
            // address with remote port 0 is a destroy notification of a socket its owner reset (SO_LINGER 0):
            // the kernel clears the peer port of such a socket before it frees it. Anything else is unexplained.
            foreach (Dictionary<string, List<long>> table in new[] { changes.Opened, changes.Closed })
            {
                foreach (KeyValuePair<string, List<long>> pair in table)
                {
                    if (known.Contains(pair.Key) || pair.Key.EndsWith("|0.0.0.0:0", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    bool portZero = pair.Key.StartsWith("127.0.61.", StringComparison.Ordinal) && pair.Key.EndsWith(":0", StringComparison.Ordinal);
                    if (portZero)
                    {
                        r.PortZero += pair.Value.Count;
                        if (r.PortZeroList.Count < 5)
                        {
                            r.PortZeroList.Add(pair.Key.Replace("|", " -> "));
                        }
                    }
                    else
                    {
                        r.Unexplained += pair.Value.Count;
                        if (r.UnexplainedList.Count < listMax)
                        {
                            r.UnexplainedList.Add(pair.Key.Replace("|", " -> "));
                        }
                    }
                }
            }

            return r;
        }

        /// <summary>
        /// How many polls are stamped within [from, to], and the polls just before and after that span. A poll is
        /// stamped when its read ended, so a poll stamped inside the span may still have read the table before it.
        /// </summary>
        private static string PollsDuring(List<long> polls, long from, long to, out int during)
        {
            int first = polls.BinarySearch(from);
            first = first < 0 ? ~first : first; // the first poll at or after 'from'
            int last = first;
            while (last < polls.Count && polls[last] <= to)
            {
                last++;
            }

            during = last - first;
            string Stamp(int i) => i < 0 || i >= polls.Count ? "none" : new DateTime(polls[i], DateTimeKind.Utc).ToString("HH:mm:ss.fff", Invariant);
            string gap = first > 0 && last < polls.Count ? $", {(polls[last] - polls[first - 1]) / 10000.0:F0} ms apart" : string.Empty;
            return $"{during} poll(s) stamped during its life; the polls around it at {Stamp(first - 1)} and {Stamp(last)}{gap}";
        }

        /// <summary>Time between consecutive polls (ms) that reported something, from fromUtc to toUtc.</summary>
        public static List<double> PollGaps(ChangeIndex changes, DateTime fromUtc, DateTime toUtc)
        {
            long from = fromUtc.ToUniversalTime().Ticks, to = toUtc.ToUniversalTime().Ticks;
            var gaps = new List<double>();
            for (int i = 1; i < changes.PollTimes.Count; i++)
            {
                if (changes.PollTimes[i - 1] >= from && changes.PollTimes[i] <= to)
                {
                    gaps.Add((changes.PollTimes[i] - changes.PollTimes[i - 1]) / 10000.0);
                }
            }

            return gaps;
        }

        /// <summary>The value at a fraction (0.5 = median, 1 = max) of the sorted values; NaN when empty.</summary>
        public static double Percentile(List<double> values, double fraction)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            values.Sort();
            return values[(int)Math.Min(values.Count - 1, Math.Floor(fraction * values.Count))];
        }
    }
}
