namespace SockTools
{
    /// <summary>
    /// What only some reads ask for (-TcpInfo, -MemoryInfo) or only some sockets have (an interface they are bound to),
    /// held by an entry through one reference: a default read, the one that must stay cheap at hundreds of thousands
    /// of sockets, then pays eight bytes an entry for all three, and a socket that has one pays one small object more.
    /// </summary>
    internal sealed class EntryDetails
    {
        private EntryDetails(TcpDetails? tcp, SocketMemory? memory, uint interfaceIndex)
        {
            Tcp = tcp;
            Memory = memory;
            InterfaceIndex = interfaceIndex;
        }

        /// <summary>TCP internals; null unless asked for (and for UDP and UNIX sockets).</summary>
        internal TcpDetails? Tcp { get; }

        /// <summary>Memory accounting; null unless asked for.</summary>
        internal SocketMemory? Memory { get; }

        /// <summary>The interface the socket is bound to (or an IPv6 link-local address's scope); 0 for none.</summary>
        internal uint InterfaceIndex { get; }

        /// <summary>Them together; null when there is none of them.</summary>
        internal static EntryDetails? Of(TcpDetails? tcp, SocketMemory? memory, uint interfaceIndex)
            => tcp is null && memory is null && interfaceIndex == 0 ? null : new EntryDetails(tcp, memory, interfaceIndex);
    }
}
