namespace SockTools.Table
{
    /// <summary>
    /// Makes entries whose owners are all known when the entry is made (Windows: the table names the process;
    /// macOS: after the file-table scan), formatting each distinct address once per read.
    /// </summary>
    internal sealed class OwnedEntryBuilder
    {
        private readonly AddressTextCache _addresses = new AddressTextCache();
        private readonly OwnerCardCache _cards = new OwnerCardCache();

        /// <param name="row">The socket.</param>
        /// <param name="owners">Every owner, lowest pid first; null or empty when none is known.</param>
        /// <param name="userName">The user, as the OS names it; null when unknown.</param>
        internal SocketEntry Build(in SocketRecord row, SocketOwnerList? owners, string? userName)
        {
            EntryOwner owner = owners is { Count: > 0 }
                ? new EntryOwner(owners.Holder(0).ProcessId, owners.Holder(0).ProcessName, null, 0, owners)
                : EntryOwner.None;
            return SocketEntry.Of(in row, in owner, userName, _addresses, _cards);
        }
    }
}
