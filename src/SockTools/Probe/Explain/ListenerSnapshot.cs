using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Probe
{
    /// <summary>
    /// This host's TCP listeners, read through the module's one table reader when a target on this host failed,
    /// and kept for a second, so a batch of a thousand refused ports reads the table once. Two reads of different
    /// cost: every listener without owners (a netlink dump, cheap), and, only when something listens on the failed
    /// port, the listeners of that port with their processes (a /proc scan). The pipeline thread, which explains the
    /// results it takes, reads on its own: no task, and no thread-pool thread woken to spin idle after one read.
    /// </summary>
    internal sealed class ListenerSnapshot
    {
        /// <summary>How long one read explains further failures.</summary>
        internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly Dictionary<int, TimedRead> _withOwners = new Dictionary<int, TimedRead>();
        private readonly NamespaceScope? _where;
        private TimedRead? _all;

        /// <param name="where">The network namespace to read (Test-SockPort connected from it); null for PowerShell's own.</param>
        internal ListenerSnapshot(NamespaceScope? where = null) => _where = where;

        private string Here => _where is null ? "this host's" : $"network namespace {_where.LastRead[0].Label}'s";

        /// <summary>Every TCP listener of this host, owners not looked up; null when the table cannot be read.</summary>
        /// <param name="note">Hears each read and its time, or why it failed, for -Verbose.</param>
        internal IReadOnlyList<SocketEntry>? All(Action<string>? note)
        {
            lock (_gate)
            {
                if (_all is null || _all.IsStale)
                {
                    _all = TimedRead.Run(new SocketQuery { IncludeUdp = false, States = new[] { SocketState.Listen }, IncludeOwners = false }, $"{Here} TCP listeners", note, _where);
                }

                return _all.Entries;
            }
        }

        /// <summary>The TCP listeners on <paramref name="port"/> with their processes; null when the table cannot be read.</summary>
        internal IReadOnlyList<SocketEntry>? OnPortWithOwners(int port, Action<string>? note)
        {
            lock (_gate)
            {
                if (!_withOwners.TryGetValue(port, out TimedRead? read) || read.IsStale)
                {
                    var query = new SocketQuery { IncludeUdp = false, States = new[] { SocketState.Listen }, LocalPorts = new PortSet(new[] { port }) };
                    _withOwners[port] = read = TimedRead.Run(query, $"the processes listening on port {port}" + (_where is null ? string.Empty : $" in network namespace {_where.LastRead[0].Label}"), note, _where);
                }

                return read.Entries;
            }
        }

        /// <summary>One read, and when it ended.</summary>
        private sealed class TimedRead
        {
            private readonly long _endedAt;

            private TimedRead(IReadOnlyList<SocketEntry>? entries, long endedAt)
            {
                Entries = entries;
                _endedAt = endedAt;
            }

            /// <summary>The listeners read; null when the table could not be read.</summary>
            internal IReadOnlyList<SocketEntry>? Entries { get; }

            /// <summary>Ended more than <see cref="Lifetime"/> ago: the next failure reads again.</summary>
            internal bool IsStale => Stopwatch.GetTimestamp() - _endedAt > Lifetime.TotalSeconds * Stopwatch.Frequency;

            internal static TimedRead Run(SocketQuery query, string what, Action<string>? note, NamespaceScope? where)
            {
                var clock = Stopwatch.StartNew();
                IReadOnlyList<SocketEntry>? entries = null;
                try
                {
                    entries = SocketTable.Read(query, new TableSession(QuietLog.Instance, where)).ToList();
                    note?.Invoke($"read {what} ({entries.Count}) in {clock.ElapsedMilliseconds} ms to explain why");
                }
                catch (SocketTableException e)
                {
                    note?.Invoke($"could not read {what} to explain why: {e.Message}");
                }

                return new TimedRead(entries, Stopwatch.GetTimestamp());
            }
        }

        /// <summary>The reader's own -Verbose lines and warnings (hidden owners) would repeat per read: the explanation says what matters.</summary>
        private sealed class QuietLog : ITableLog
        {
            internal static readonly QuietLog Instance = new QuietLog();

            public void Verbose(string message)
            {
            }

            public void Warning(string id, string message)
            {
            }

            public void Failed(SocketTableException error)
            {
            }
        }
    }
}
