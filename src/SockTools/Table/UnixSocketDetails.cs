namespace SockTools.Table
{
    /// <summary>
    /// What a row of a UNIX domain socket carries beyond the fields every row has: its name, its kind and the
    /// socket at the other end. A class, not more row fields, so the TCP and UDP rows of a large table stay small.
    /// </summary>
    internal sealed class UnixSocketDetails
    {
        internal UnixSocketDetails(UnixSocketType type, string? path, ulong peerInode)
        {
            Type = type;
            Path = path;
            PeerInode = peerInode;
        }

        internal UnixSocketType Type { get; }

        /// <summary>The bound name as ss prints it: a file path, or an abstract name with every NUL as '@'; null when unnamed.</summary>
        internal string? Path { get; }

        /// <summary>Inode of the connected peer socket; 0 when there is none or the reader cannot see it.</summary>
        internal ulong PeerInode { get; }
    }
}
