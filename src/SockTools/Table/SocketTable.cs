using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>
    /// The one socket-table read every cmdlet uses: rows from this OS's reader, then owners from its owner
    /// lookup, behind one error type. Rows are read at once (so read failures surface here); entries are
    /// made lazily, and a failure while they are enumerated is the same <see cref="SocketTableException"/>.
    /// In other network namespaces the rows are read on the session's <see cref="NamespaceThread"/>, each tagged
    /// with its namespace; owners are found for all of them at once, through this host's /proc (socket inodes are
    /// unique across namespaces, and every process is visible from here).
    /// </summary>
    internal static class SocketTable
    {
        /// <summary>Environment variable that forces a reader: "netlink", "proc", or "auto" (the default).</summary>
        internal const string ReaderVariable = "SOCKTOOLS_READER";

        /// <exception cref="SocketTableException">The table could not be read, or this OS has no reader.</exception>
        internal static IEnumerable<SocketEntry> Read(SocketQuery query, TableSession session)
        {
            List<SocketRecord> rows = ReadRows(query, session, RowListPool.Shared.Rent());
            return GiveBackAfter(rows, Attach(query, rows, session));
        }

        /// <summary>
        /// The rows, read now into a list of <see cref="RowListPool"/>, for a caller that gives them back with
        /// <see cref="RowListPool.Return"/> once done with them (or not at all: then the collector takes them).
        /// </summary>
        /// <exception cref="SocketTableException">The table could not be read, or this OS has no reader.</exception>
        internal static List<SocketRecord> ReadPooledRows(SocketQuery query, TableSession session) => ReadRows(query, session, RowListPool.Shared.Rent());

        /// <summary>The rows that pass the query's row filters, read now.</summary>
        /// <exception cref="SocketTableException">
        /// The table could not be read, or this OS has no reader. With -AllNetworkNamespaces, a namespace that cannot be
        /// read is told to <see cref="ITableLog.Failed"/> instead, and the others are read all the same.
        /// </exception>
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
            var clock = Stopwatch.StartNew();
            rows.Clear();
            NamespaceScope? scope = session.Namespaces;
            if (scope is null)
            {
                try
                {
                    platform.Reader.Read(query, rows, session.Log);
                }
                catch (Exception e) when (SocketTableException.IsReaderFailure(e))
                {
                    throw SocketTableException.ReadFailed(e, platform.ReadAdvice);
                }
            }
            else
            {
                IReadOnlyList<NetworkNamespace> namespaces = scope.ForRead(session.Log);
                foreach (NetworkNamespace where in namespaces)
                {
                    try
                    {
                        ReadIn(where, scope.Thread, platform, query, rows, session.Log);
                    }
                    catch (SocketTableException e) when (scope.IsEveryNamespace && e.Category != ErrorCategory.PermissionDenied)
                    {
                        // One namespace that cannot be read does not hide the others. Being refused is not one
                        // namespace's problem but this process's, the same for all: it ends the read, said once.
                        session.Log.Failed(e);
                    }
                }
            }

            session.Log.Verbose($"{rows.Count} socket(s) match the filters ({clock.ElapsedMilliseconds} ms).");
            return rows;
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

        /// <summary>
        /// The entries, then the row list back to the pool once they are all made (or the caller stopped early, as
        /// Select-Object -First does). Enumerated once: a second pass would read a list that may be another read's by then.
        /// </summary>
        private static IEnumerable<SocketEntry> GiveBackAfter(List<SocketRecord> rows, IEnumerable<SocketEntry> entries)
        {
            bool started = false;
            return Enumerate();

            IEnumerable<SocketEntry> Enumerate()
            {
                if (started)
                {
                    throw new InvalidOperationException("A table read's entries can be enumerated once; read the table again instead.");
                }

                started = true;

                try
                {
                    foreach (SocketEntry entry in entries)
                    {
                        yield return entry;
                    }
                }
                finally
                {
                    RowListPool.Shared.Return(rows);
                }
            }
        }

        /// <summary>Adds one namespace's rows, each tagged with it; on a failure adds none.</summary>
        private static void ReadIn(NetworkNamespace where, NamespaceThread thread, SocketPlatform platform, SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            int before = rows.Count;
            var said = new DeferredTableLog();
            try
            {
                // The reader runs inside the namespace, where its netlink socket and /proc/thread-self/net belong to it.
                thread.Run(where, () => platform.Reader.Read(query, rows, said));
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                rows.RemoveRange(before, rows.Count - before);
                throw SocketTableException.ReadFailedIn(where.Tag, e, platform.ReadAdvice);
            }
            finally
            {
                said.ReplayTo(log);
            }

            for (int i = before; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                row.Namespace = where.Tag;
                rows[i] = row;
            }

            log.Verbose($"Network namespace {where.Label}: {rows.Count - before} socket(s).");
        }
    }
}
