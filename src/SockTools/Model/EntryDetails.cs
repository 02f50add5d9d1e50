namespace SockTools
{
    /// <summary>
    /// What only some reads ask for (-TcpInfo, -MemoryInfo), held by an entry through one reference: a default read,
    /// the one that must stay cheap at hundreds of thousands of sockets, then pays eight bytes an entry for both,
    /// and a read that asks pays one small object more per socket.
    /// </summary>
    internal sealed class EntryDetails
    {
        private EntryDetails(TcpDetails? tcp, SocketMemory? memory)
        {
            Tcp = tcp;
            Memory = memory;
        }

        /// <summary>TCP internals; null unless asked for (and for UDP and UNIX sockets).</summary>
        internal TcpDetails? Tcp { get; }

        /// <summary>Memory accounting; null unless asked for.</summary>
        internal SocketMemory? Memory { get; }

        /// <summary>Both together; null when there is neither.</summary>
        internal static EntryDetails? Of(TcpDetails? tcp, SocketMemory? memory)
            => tcp is null && memory is null ? null : new EntryDetails(tcp, memory);
    }
}
