using System;
using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table
{
    /// <summary>
    /// Sockets the kernel destroyed since the last drain, as the OS reports them (Linux: sock_diag destroy
    /// notifications). Lets a poll loop report sockets that lived and died between two polls.
    /// </summary>
    internal interface IDestroyFeed : IDisposable
    {
        /// <summary>Destroyed sockets that pass the query's row filters; owners are unknown by then.</summary>
        /// <exception cref="SocketTableException">The feed could not be read.</exception>
        List<SocketEntry> Drain(SocketQuery query);

        /// <summary>True once the kernel dropped notifications because they were read too slowly.</summary>
        bool Overflowed { get; }
    }
}
