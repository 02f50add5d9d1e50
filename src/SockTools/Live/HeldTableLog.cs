using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Live
{
    /// <summary>
    /// The reader's explanations while the full-screen view owns the terminal: written to the console they would tear
    /// the picture, so they are held (each warning once) and the cmdlet writes them after the view has closed. The
    /// latest warning is also shown on the view's status line.
    /// </summary>
    internal sealed class HeldTableLog : ITableLog
    {
        private readonly HashSet<string> _warned = new HashSet<string>();

        internal List<string> Verbose { get; } = new List<string>();

        internal List<(string Id, string Message)> Warnings { get; } = new List<(string, string)>();

        /// <summary>The latest warning, for the status line; null when there was none.</summary>
        internal string? LatestWarning { get; private set; }

        void ITableLog.Verbose(string message)
        {
            // Bounded: a view left open for a day must not grow without end.
            if (Verbose.Count < 1000)
            {
                Verbose.Add(message);
            }
        }

        /// <summary>A part of a read that failed (one namespace of several): held as a warning, like the others.</summary>
        void ITableLog.Failed(SocketTableException error) => ((ITableLog)this).Warning(error.ErrorId + " " + error.Target, error.Message);

        void ITableLog.Warning(string id, string message)
        {
            if (_warned.Add(id))
            {
                Warnings.Add((id, message));
                LatestWarning = message;
            }
        }
    }
}
