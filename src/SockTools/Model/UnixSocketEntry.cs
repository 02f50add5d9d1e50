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
    /// entry (Commands/EntryTypeNames.cs), for one view and the same columns throughout. The peer's owner is kept
    /// here too, in fields rather than objects of its own: a desktop has thousands of UNIX connections.
    /// </remarks>
    public sealed class UnixSocketEntry : SocketEntry
    {
        private readonly OwnerBook? _peerBook; // the book of the read that found the socket, to look the peer's owner up in
        private readonly int _peerSlot;
        private bool _peerKnown;
        private int _peerProcessId;
        private string? _peerProcessName;

        internal UnixSocketEntry(in SocketRecord row, in EntryOwner owner, string? userName, OwnerCardCache cards)
            : base(in row, (AddressText?)null, null, in owner, userName, cards)
        {
            Details = row.Unix!;
            if (owner.PeerBook is not null && Details.PeerInode > 0)
            {
                (_peerBook, _peerSlot) = (owner.PeerBook, owner.PeerSlot);
            }
        }

        /// <summary>
        /// The same socket seen again (a watch). Its peer's owner is carried only while the peer is the same socket:
        /// a peer it connected to since was never looked up.
        /// </summary>
        internal UnixSocketEntry(in SocketRecord row, SocketEntry earlier)
            : base(in row, earlier)
        {
            Details = row.Unix!;
            if (earlier is UnixSocketEntry before && before.Details.PeerInode == Details.PeerInode && Details.PeerInode > 0)
            {
                (_peerBook, _peerSlot) = (before._peerBook, before._peerSlot);
                (_peerKnown, _peerProcessId, _peerProcessName) = (before._peerKnown, before._peerProcessId, before._peerProcessName);
            }
        }

        /// <summary>The socket's name: a file path, or @name for an abstract one (every NUL as @, as ss prints it); null when unnamed.</summary>
        public new string? Path => Details.Path;

        /// <summary>Stream, Datagram or SeqPacket.</summary>
        public UnixSocketType? SocketType => Details.Type;

        /// <summary>Inode of the socket at the other end of a connection; null when it has none or it cannot be seen.</summary>
        public new long? PeerInode => Details.PeerInode > 0 ? (long)Details.PeerInode : null;

        /// <summary>The process holding the other end (its lowest pid), found by the same owner scan; null when unknown.</summary>
        public new int? PeerProcessId
        {
            get
            {
                ResolvePeer();
                return _peerProcessId == 0 ? null : _peerProcessId;
            }
        }

        /// <summary>Name of the process holding the other end; null when unknown.</summary>
        public new string? PeerProcessName
        {
            get
            {
                ResolvePeer();
                return _peerProcessName;
            }
        }

        /// <summary>Name, kind and peer inode, as the reader saw them.</summary>
        internal UnixSocketDetails Details { get; }

        /// <summary>
        /// Looks the peer's owner up in the book of the read that found the socket, the first time it is asked for (the
        /// book waits until the peer's lowest owner is certain); a watch does so when it sees a change, before the peer
        /// may be gone. Never done for entries nobody asks.
        /// </summary>
        internal new void ResolvePeer()
        {
            if (_peerKnown || _peerBook is null)
            {
                return;
            }

            int pid = _peerBook.CertainLowestOwnerOf(_peerSlot);
            if (pid > 0)
            {
                _peerProcessId = pid;
                _peerProcessName = _peerBook.NameOf(pid);
            }

            _peerKnown = true;
        }
    }
}
