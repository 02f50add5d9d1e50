using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>
    /// Finds the processes that hold the rows' sockets and makes the entries (one implementation per OS,
    /// chosen by <see cref="SocketPlatform"/>). Applies the owner filters of the query (-ProcessId,
    /// -ProcessName), which need the owners, and may stream entries while it looks.
    /// </summary>
    internal interface IOwnerLookup
    {
        IEnumerable<SocketEntry> Attach(SocketQuery query, List<SocketRecord> rows, TableSession session);
    }
}
