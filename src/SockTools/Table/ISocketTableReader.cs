using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>One way of reading the kernel's socket table (the OS seam: one per OS or mechanism).</summary>
    internal interface ISocketTableReader
    {
        /// <summary>Short name shown by -Verbose and accepted by SOCKTOOLS_READER.</summary>
        string Name { get; }

        /// <summary>Adds every row that passes <see cref="SocketQuery.Matches"/> to <paramref name="sink"/>.</summary>
        void Read(SocketQuery query, List<SocketRecord> sink);
    }
}
