using System;

namespace SockTools.Table
{
    /// <summary>
    /// Row fields an OS's table does not carry. A reader marks them so the entry shows null (unknown)
    /// rather than the 0 an unfilled field holds: unknown is null, never 0.
    /// </summary>
    [Flags]
    internal enum UnseenFields : byte // a byte of every row (SocketRecord)
    {
        None = 0,

        /// <summary>ReceiveQueue and SendQueue.</summary>
        Queues = 1,

        /// <summary>Timer and TimerRemainingMs.</summary>
        Timer = 2,

        /// <summary>Retransmits.</summary>
        Retransmits = 4,

        /// <summary>UserId (Windows names users by SID, not by number); UserName may still come from the owner.</summary>
        UserId = 8,

        /// <summary>Inode: no socket file to name (the uid then stands on its own, not tied to a file).</summary>
        Inode = 16,
    }
}
