namespace SockTools.Table
{
    /// <summary>
    /// What a reader knows of a socket's owners when it builds the entry: the lowest-pid owner, and either the
    /// complete list already (a watch's earlier read) or the book and slot where it will be found.
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
        }

        internal int? ProcessId { get; }

        internal string? ProcessName { get; }

        internal OwnerBook? Book { get; }

        internal int Slot { get; }

        internal SocketOwnerList? Known { get; }
    }
}
