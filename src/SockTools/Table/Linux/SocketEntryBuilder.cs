using System.Collections.Generic;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Turns rows plus owners into <see cref="SocketEntry"/> objects for one read: formats each distinct
    /// address once, reads each owner's name once, and tells each UNIX socket where its peer's owner will be found.
    /// </summary>
    internal sealed class SocketEntryBuilder
    {
        private readonly AddressTextCache _addresses = new AddressTextCache();
        private readonly OwnerCardCache _cards = new OwnerCardCache();
        private readonly ProcessNameCache _names;
        private readonly OwnerIdentity? _identity;

        internal SocketEntryBuilder(ProcessNameCache names, OwnerIdentity? identity = null)
        {
            _names = names;
            _identity = identity;
        }

        /// <summary>Where this read's entries read more about their owners; null where none is read.</summary>
        internal OwnerIdentity? Identity => _identity;

        /// <summary>The book of this read's owner scan, where the owners of UNIX sockets' peers are looked up; null before the scan.</summary>
        internal ScanOwnerBook? Book { get; set; }

        /// <summary>Entries for rows whose owner cannot be known (sockets already destroyed).</summary>
        internal static List<SocketEntry> WithoutOwners(List<SocketRecord> rows)
        {
            var builder = new SocketEntryBuilder(new ProcessNameCache(null));
            var entries = new List<SocketEntry>(rows.Count);
            foreach (SocketRecord row in rows)
            {
                entries.Add(builder.Build(in row));
            }

            return entries;
        }

        /// <summary>An entry whose owner is unknown (no socket file, or hidden).</summary>
        internal SocketEntry Build(in SocketRecord row) => Make(in row, EntryOwner.None);

        /// <summary>An entry whose lowest-pid owner is known, and whose complete list <paramref name="book"/> holds.</summary>
        internal SocketEntry Build(in SocketRecord row, int processId, OwnerBook book, int slot)
        {
            return Make(in row, new EntryOwner(processId, _names.NameOf(processId), book, slot, null));
        }

        private SocketEntry Make(in SocketRecord row, EntryOwner owner)
        {
            if (Book is not null && row.Unix is { PeerInode: > 0 } unix && Book.TryGetSlot(unix.PeerInode, out int peerSlot))
            {
                owner = owner.WithPeer(Book, peerSlot);
            }

            string? user = row.Inode != 0 && (row.Unseen & UnseenFields.UserId) == 0 ? UserNames.Lookup(row.Uid) : null;
            return SocketEntry.Of(in row, in owner, user, _addresses, _cards);
        }
    }
}
