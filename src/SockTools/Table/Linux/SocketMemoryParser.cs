namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads the u32 array of INET_DIAG_SKMEMINFO and UNIX_DIAG_MEMINFO (SK_MEMINFO_* in include/uapi/linux/sock_diag.h).
    /// The array has grown over the years (the drop counter came last), so each value is read only when the
    /// attribute is long enough to hold it; the rest stay null.
    /// </summary>
    internal static class SocketMemoryParser
    {
        // Indexes into the array, in the kernel's order.
        private const int ReceiveAlloc = 0;
        private const int ReceiveBuffer = 1;
        private const int SendAlloc = 2;
        private const int SendBuffer = 3;
        private const int ForwardAlloc = 4;
        private const int SendQueued = 5;
        private const int OptionMemory = 6;
        private const int Backlog = 7;
        private const int Drops = 8;

        internal static SocketMemory Parse(byte[] b, int offset, int length) => new SocketMemory
        {
            ReceiveBufferUsed = Value(b, offset, length, ReceiveAlloc),
            ReceiveBufferLimit = Value(b, offset, length, ReceiveBuffer),
            SendBufferUsed = Value(b, offset, length, SendAlloc),
            SendBufferLimit = Value(b, offset, length, SendBuffer),
            ForwardAlloc = Value(b, offset, length, ForwardAlloc),
            SendQueued = Value(b, offset, length, SendQueued),
            OptionMemory = Value(b, offset, length, OptionMemory),
            Backlog = Value(b, offset, length, Backlog),
            Drops = Value(b, offset, length, Drops),
        };

        private static long? Value(byte[] b, int offset, int length, int index)
            => (index + 1) * 4 <= length ? Wire.U32(b, offset + (index * 4)) : null;
    }
}
