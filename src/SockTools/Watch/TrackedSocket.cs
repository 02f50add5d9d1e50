namespace SockTools.Watch
{
    /// <summary>
    /// What the watch knows about one socket key between looks: its latest entry (null for a socket the owner
    /// filters left out, which is never asked about again while it stays), the look that last showed it, and the
    /// look that first did. Mutable, so a look that finds a socket unchanged costs one dictionary lookup.
    /// </summary>
    internal sealed class TrackedSocket
    {
        internal TrackedSocket(SocketEntry? entry, int look)
        {
            Entry = entry;
            FirstLook = look;
            LastLook = look;
        }

        internal SocketEntry? Entry { get; set; }

        internal int FirstLook { get; }

        internal int LastLook { get; set; }

        /// <summary>Where the last look that showed it listed it (see <see cref="LookOrder"/>).</summary>
        internal int Position { get; set; }
    }
}
