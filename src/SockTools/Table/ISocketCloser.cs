using System;

namespace SockTools.Table
{
    /// <summary>
    /// Closes sockets of any process from outside, the way ss -K does (one implementation per OS, chosen by
    /// <see cref="SocketPlatform"/>): the owning process sees its connection aborted and lives on.
    /// </summary>
    internal interface ISocketCloser : IDisposable
    {
        /// <summary>Asks the OS to destroy exactly the socket <paramref name="entry"/> describes.</summary>
        /// <exception cref="SocketTableException">The OS could not be asked at all, or answered something unreadable.</exception>
        SocketCloseOutcome Close(SocketEntry entry);
    }
}
