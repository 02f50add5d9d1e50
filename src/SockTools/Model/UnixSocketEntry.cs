using SockTools.Table;

namespace SockTools
{
    /// <summary>
    /// A UNIX domain socket: every property of <see cref="SocketEntry"/> (those of IP sockets null) and what only a
    /// UNIX socket has: its name, its kind and the socket and process at the other end.
    /// </summary>
    /// <remarks>
    /// A type of its own so that its view (SockTools.Format.ps1xml) and its columns come from the type: a command
    /// that lists UNIX sockets writes them as they are, where a type name added to each object cost a few
    /// microseconds apiece. Mixed with TCP and UDP sockets, the cmdlets still add SockTools.SocketEntry#Unix to every
    /// entry (Commands/EntryTypeNames.cs), for one view and the same columns throughout.
    /// </remarks>
    public sealed class UnixSocketEntry : SocketEntry
    {
        internal UnixSocketEntry(in SocketRecord row, in EntryOwner owner, string? userName)
            : base(in row, null, null, in owner, userName)
        {
        }

        internal UnixSocketEntry(in SocketRecord row, SocketEntry earlier)
            : base(in row, earlier)
        {
        }

        /// <summary>The socket's name: a file path, or @name for an abstract one (every NUL as @, as ss prints it); null when unnamed.</summary>
        public new string? Path => base.Path;

        /// <summary>Stream, Datagram or SeqPacket.</summary>
        public UnixSocketType? SocketType => UnixType;

        /// <summary>Inode of the socket at the other end of a connection; null when it has none or it cannot be seen.</summary>
        public new long? PeerInode => base.PeerInode;

        /// <summary>The process holding the other end (its lowest pid), found by the same owner scan; null when unknown.</summary>
        public new int? PeerProcessId => base.PeerProcessId;

        /// <summary>Name of the process holding the other end; null when unknown.</summary>
        public new string? PeerProcessName => base.PeerProcessName;
    }
}
