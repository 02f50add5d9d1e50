using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>Reads the rows of the OS's socket table (one implementation per OS, chosen by <see cref="SocketPlatform"/>).</summary>
    internal interface ISocketTableReader
    {
        /// <summary>Adds every row that passes <see cref="SocketQuery.Matches"/> to <paramref name="rows"/>.</summary>
        /// <exception cref="System.Exception">Any reader failure; <see cref="SocketTable"/> turns it into a <see cref="SocketTableException"/>.</exception>
        void Read(SocketQuery query, List<SocketRecord> rows, ITableLog log);
    }
}
