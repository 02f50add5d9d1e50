using System;
using System.Collections.Generic;
using System.Diagnostics;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>
    /// The one socket-table read every cmdlet uses: rows from this OS's reader, then owners from its owner
    /// lookup, behind one error type. Rows are read at once (so read failures surface here); entries are
    /// made lazily, and a failure while they are enumerated is the same <see cref="SocketTableException"/>.
    /// </summary>
    internal static class SocketTable
    {
        /// <summary>Environment variable that forces a reader: "netlink", "proc", or "auto" (the default).</summary>
        internal const string ReaderVariable = "SOCKTOOLS_READER";

        /// <exception cref="SocketTableException">The table could not be read, or this OS has no reader.</exception>
        internal static IEnumerable<SocketEntry> Read(SocketQuery query, TableSession session)
            => Attach(query, ReadRows(query, session), session);

        /// <summary>The rows that pass the query's row filters, read now.</summary>
        /// <exception cref="SocketTableException">The table could not be read, or this OS has no reader.</exception>
        internal static List<SocketRecord> ReadRows(SocketQuery query, TableSession session) => ReadRows(query, session, new List<SocketRecord>());

        /// <summary>
        /// The same into <paramref name="rows"/>, emptied first: a watch reads every look into one list, so a steady
        /// table costs no new memory per poll (a fresh list of 60,000 rows is 18 MB, and page faults for it).
        /// </summary>
        /// <exception cref="SocketTableException">The table could not be read, or this OS has no reader.</exception>
        internal static List<SocketRecord> ReadRows(SocketQuery query, TableSession session, List<SocketRecord> rows)
        {
            SocketPlatform platform = SocketPlatform.Current;
            platform.Narrow(query, session.Log);
            try
            {
                var clock = Stopwatch.StartNew();
                rows.Clear();
                platform.Reader.Read(query, rows, session.Log);
                session.Log.Verbose($"{rows.Count} socket(s) match the filters ({clock.ElapsedMilliseconds} ms).");
                return rows;
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.ReadFailed(e, platform.ReadAdvice);
            }
        }

        /// <summary>
        /// Entries for <paramref name="rows"/>, with their owners and after the owner filters, made lazily; a failure
        /// while they are enumerated is a <see cref="SocketTableException"/> too.
        /// </summary>
        internal static IEnumerable<SocketEntry> Attach(SocketQuery query, List<SocketRecord> rows, TableSession session)
        {
            SocketPlatform platform = SocketPlatform.Current;
            try
            {
                return SocketTableException.Guard(platform.Owners.Attach(query, rows, session), platform.ReadAdvice);
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.ReadFailed(e, platform.ReadAdvice);
            }
        }
    }
}
