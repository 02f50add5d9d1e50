namespace SockTools.Watch
{
    /// <summary>
    /// What <see cref="DestroyedSockets"/> asks about the watch's last two looks at the table: whether a socket is
    /// in this one, in either, or carries a cookie either of them showed.
    /// </summary>
    internal interface ISocketLooks
    {
        /// <summary>This look shows a socket with that key (owner-filtered sockets are not counted).</summary>
        bool InThisLook(SocketKey key);

        /// <summary>The previous look or this one shows a socket with that key.</summary>
        bool InEitherLook(SocketKey key);

        /// <summary>The previous look or this one shows a socket with that cookie (in that network namespace).</summary>
        bool Knows(SocketCookie cookie);
    }
}
