using System.Collections.Generic;
using System.Threading;

namespace SockTools.Table
{
    /// <summary>
    /// Lends the one large row list a whole-table read fills, and takes it back when the read's entries are made.
    /// A fresh list for 60,000 rows is 9 MB that the runtime must zero and the kernel must map page by page: about a
    /// third of reading the table itself. The list given back is kept for the next read for a short while only, then
    /// let go (a list for 500,000 rows is 76 MB), so a session that stops reading does not hold it.
    /// </summary>
    internal sealed class RowListPool
    {
        /// <summary>The pool every table read shares.</summary>
        internal static readonly RowListPool Shared = new RowListPool(30_000);

        private readonly int _keepMilliseconds;

        // One spare list: reads rarely overlap, and one that finds none simply makes its own.
        private List<SocketRecord>? _spare;
        private Timer? _letGo;

        /// <param name="keepMilliseconds">How long a returned list waits for the next read before it is let go.</param>
        internal RowListPool(int keepMilliseconds) => _keepMilliseconds = keepMilliseconds;

        /// <summary>Whether a list is waiting to be lent.</summary>
        internal bool HasSpare => Volatile.Read(ref _spare) is not null;

        /// <summary>An empty list, the spare one when there is one.</summary>
        internal List<SocketRecord> Rent() => Interlocked.Exchange(ref _spare, null) ?? new List<SocketRecord>();

        /// <summary>
        /// Takes a list back once nothing reads it any more: its rows are cleared (they may hold UNIX and TCP details)
        /// and it is kept for the time this pool keeps lists.
        /// </summary>
        internal void Return(List<SocketRecord> rows)
        {
            rows.Clear();
            Volatile.Write(ref _spare, rows);
            Timer timer = LazyInitializer.EnsureInitialized(ref _letGo, () => new Timer(_ => Interlocked.Exchange(ref _spare, null)))!;
            timer.Change(_keepMilliseconds, Timeout.Infinite);
        }
    }
}
