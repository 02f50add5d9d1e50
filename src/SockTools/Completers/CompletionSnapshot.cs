using System;
using System.Collections.Generic;
using System.Diagnostics;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Completers
{
    /// <summary>
    /// What tab completion knows about the socket table: the processes the reader sees as socket owners,
    /// and the sockets that listen (TCP listeners, bound UDP). The only place completion reads the table.
    /// One read serves every completer and is kept briefly, so repeated Tab presses do not rescan /proc.
    /// Taking a snapshot never throws: completion runs inside the user's prompt, where a failed read must
    /// mean "nothing to offer", not an error.
    /// </summary>
    internal sealed class CompletionSnapshot
    {
        /// <summary>How long one read is reused (tests/Completion.Tests.ps1 waits this long for fresh data).</summary>
        internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3);

        internal static readonly CompletionSnapshot Empty = new CompletionSnapshot(new SortedDictionary<int, string?>(), new List<SocketEntry>());

        private static readonly object Gate = new object();
        private static CompletionSnapshot? _current;
        private static string _currentKey = string.Empty;
        private static long _takenAt;

        private CompletionSnapshot(SortedDictionary<int, string?> owners, List<SocketEntry> listeners)
        {
            Owners = owners;
            Listeners = listeners;
        }

        /// <summary>Each process that holds a socket, by ascending pid, with its name (null when unreadable).</summary>
        internal IReadOnlyDictionary<int, string?> Owners { get; }

        /// <summary>TCP listeners and bound UDP sockets (port 0 left out), in the reader's order.</summary>
        internal IReadOnlyList<SocketEntry> Listeners { get; }

        /// <summary>The snapshot of the last <see cref="Lifetime"/> of the same namespaces, or a new one.</summary>
        internal static CompletionSnapshot Current(CompletionNamespace where)
        {
            lock (Gate)
            {
                if (_current is null || _currentKey != where.Key || Stopwatch.GetTimestamp() - _takenAt > Lifetime.TotalSeconds * Stopwatch.Frequency)
                {
                    _current = Take(() => ReadTable(where));
                    _currentKey = where.Key;
                    _takenAt = Stopwatch.GetTimestamp(); // after the read: a slow read still gets its full lifetime
                }

                return _current;
            }
        }

        /// <summary>Collects owners and listeners from <paramref name="read"/>; any failure gives <see cref="Empty"/>.</summary>
        internal static CompletionSnapshot Take(Func<IEnumerable<SocketEntry>> read)
        {
            try
            {
                var owners = new SortedDictionary<int, string?>();
                var listeners = new List<SocketEntry>();
                foreach (SocketEntry entry in read())
                {
                    // Every owner, not only the lowest pid: a pre-fork server's workers hold its socket too.
                    SocketOwnerList? all = entry.Owners;
                    for (int i = 0; i < (all?.Count ?? 0); i++)
                    {
                        SocketHolder holder = all!.Holder(i);
                        owners[holder.ProcessId] = holder.ProcessName;
                    }

                    if (IsListening(entry))
                    {
                        listeners.Add(entry);
                    }
                }

                return new CompletionSnapshot(owners, listeners);
            }
            catch (Exception) // everything, on purpose: this runs inside the user's prompt
            {
                return Empty;
            }
        }

        // What Get-SockListener lists of TCP and UDP; a UDP socket on port 0 is not bound to anything one could complete.
        private static bool IsListening(SocketEntry entry)
            => entry.LocalPort is > 0
               && ((entry.Protocol == SocketProtocol.Tcp && entry.State == SocketState.Listen)
                   || (entry.Protocol == SocketProtocol.Udp && entry.State == SocketState.Unconnected));

        // Every socket the default query reads: listeners for the ports, all owned sockets for names and pids. Read
        // whole while the namespaces are open.
        private static IEnumerable<SocketEntry> ReadTable(CompletionNamespace where)
        {
            using NamespaceScope? scope = where.Open();
            return new List<SocketEntry>(SocketTable.Read(new SocketQuery(), new TableSession(DiscardLog.Instance, scope)));
        }

        /// <summary>Completion has nowhere to show -Verbose lines or warnings; they are dropped.</summary>
        internal sealed class DiscardLog : ITableLog
        {
            internal static readonly DiscardLog Instance = new DiscardLog();

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
