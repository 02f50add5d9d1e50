namespace SockTools.Table
{
    /// <summary>
    /// What a reader knows of a socket's owners when it builds the entry: the lowest-pid owner, and either the
    /// complete list already (a watch's earlier read) or the book and slot where it will be found; where the
    /// owner of a UNIX socket's peer will be found; and where more about the owner (command line, service,
    /// container) can be read when somebody asks.
    /// </summary>
    internal readonly struct EntryOwner
    {
        internal static readonly EntryOwner None = default;

        internal EntryOwner(int processId, string? processName, OwnerBook? book, int slot, SocketOwnerList? known)
        {
            ProcessId = processId;
            ProcessName = processName;
            Book = book;
            Slot = slot;
            Known = known;
            PeerBook = null;
            PeerSlot = 0;
        }

        private EntryOwner(in EntryOwner owner, OwnerBook peerBook, int peerSlot)
        {
            ProcessId = owner.ProcessId;
            ProcessName = owner.ProcessName;
            Book = owner.Book;
            Slot = owner.Slot;
            Known = owner.Known;
            PeerBook = peerBook;
            PeerSlot = peerSlot;
        }

        internal int? ProcessId { get; }

        internal string? ProcessName { get; }

        internal OwnerBook? Book { get; }

        internal int Slot { get; }

        internal SocketOwnerList? Known { get; }

        /// <summary>The book in which the owner of the socket's peer (a UNIX socket's other end) will be found; null when none.</summary>
        internal OwnerBook? PeerBook { get; }

        internal int PeerSlot { get; }

        /// <summary>This owner, plus where the peer's owner will be found.</summary>
        internal EntryOwner WithPeer(OwnerBook peerBook, int peerSlot) => new EntryOwner(in this, peerBook, peerSlot);
    }
}
