namespace SockTools
{
    /// <summary>
    /// A socket's memory accounting (struct sk_meminfo, what ss -m prints as skmem:(r,rb,t,tb,f,w,o,bl,d)), read only
    /// on request (Get-SockConnection -MemoryInfo). Values a kernel does not send stay null.
    /// </summary>
    internal sealed class SocketMemory
    {
        /// <summary>r: bytes of received data held in the receive queue.</summary>
        internal long? ReceiveBufferUsed;

        /// <summary>rb: the receive buffer limit (SO_RCVBUF as the kernel keeps it: twice what was asked).</summary>
        internal long? ReceiveBufferLimit;

        /// <summary>t: bytes of sent data not yet freed (in flight or queued in the device).</summary>
        internal long? SendBufferUsed;

        /// <summary>tb: the send buffer limit (SO_SNDBUF as the kernel keeps it).</summary>
        internal long? SendBufferLimit;

        /// <summary>f: memory allocated to the socket in advance and not used yet.</summary>
        internal long? ForwardAlloc;

        /// <summary>w: bytes queued to be sent (TCP: written, not yet sent or acknowledged).</summary>
        internal long? SendQueued;

        /// <summary>o: memory for socket options and ancillary data.</summary>
        internal long? OptionMemory;

        /// <summary>bl: bytes in the backlog queue (arrived while the socket was busy).</summary>
        internal long? Backlog;

        /// <summary>d: packets dropped before they reached the receive queue (full buffer, filters); kernel 4.7 or later.</summary>
        internal long? Drops;
    }
}
