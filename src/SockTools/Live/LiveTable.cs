using System;
using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table;
using SockTools.Watch;

namespace SockTools.Live
{
    /// <summary>
    /// What Show-SockConnection's view (SockTools.LiveView, another assembly) asks of the module: refresh the rows
    /// through the watch machinery of Watch-SockState, and close a socket through Close-SockConnection's closer. The
    /// view draws; everything about sockets stays here.
    /// </summary>
    internal sealed class LiveTable : IDisposable
    {
        private readonly SocketWatch _watch;
        private readonly LiveRows _rows;
        private ISocketCloser? _closer;
        private bool _started;

        /// <param name="query">The filters of the cmdlet (as Get-SockConnection's), with TCP internals for the details.</param>
        /// <param name="interval">Time between refreshes; marks last three of them, and at least three seconds.</param>
        /// <param name="log">Where the reader explains itself while the view is open.</param>
        /// <param name="where">The network namespace to show (-NetworkNamespace); null for PowerShell's own.</param>
        internal LiveTable(SocketQuery query, TimeSpan interval, HeldTableLog log, NamespaceScope? where = null)
        {
            Interval = interval;
            Log = log;

            // Destroy notifications would only report sockets no refresh saw, which the view has no row for.
            _watch = new SocketWatch(query, new TableSession(log, where), catchShortLived: false);
            _rows = new LiveRows(TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, interval.Ticks * 3)));
        }

        internal TimeSpan Interval { get; }

        internal HeldTableLog Log { get; }

        /// <summary>When the rows were last read (local time); null before the first refresh.</summary>
        internal DateTime? RefreshedAt { get; private set; }

        /// <summary>Why the latest refresh failed (the rows are the previous ones); null when it worked.</summary>
        internal string? Failure { get; private set; }

        /// <summary>Reads the table and brings the rows up to date; a failed read keeps the rows and sets <see cref="Failure"/>.</summary>
        internal List<LiveRow> Refresh()
        {
            DateTime now = DateTime.Now;
            try
            {
                if (_started)
                {
                    _rows.Apply(_watch.Look(), now);
                }
                else
                {
                    _rows.Start(_watch.Start(reportExisting: true), now);
                    _started = true;
                }

                Failure = null;
                RefreshedAt = now;
            }
            catch (SocketTableException e)
            {
                Failure = e.Message;
            }

            return _rows.Snapshot();
        }

        /// <summary>Closes one socket as Close-SockConnection does (listeners too: the view asked first); the result in words.</summary>
        internal string Close(SocketEntry entry)
        {
            try
            {
                _closer ??= SocketPlatform.Current.OpenCloser();
                SocketCloseOutcome outcome = _closer.Close(entry);
                return outcome.Result switch
                {
                    SocketCloseResult.Closed => $"Closed {entry.Summary}.",
                    SocketCloseResult.Gone => $"{entry.Summary}: {outcome.Detail}; nothing to close.",
                    _ => $"Could not close {entry.Summary}: {outcome.Detail}." + (outcome.Advice is null ? string.Empty : " " + outcome.Advice),
                };
            }
            catch (SocketTableException e)
            {
                return $"Could not close {entry.Summary}: {e.Message}";
            }
        }

        public void Dispose()
        {
            _watch.Dispose();
            _closer?.Dispose();
        }
    }
}
