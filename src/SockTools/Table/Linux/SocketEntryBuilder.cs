using System.Collections.Generic;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Turns rows plus owners into <see cref="SocketEntry"/> objects for one read: formats each distinct
    /// address once, reads each owner's name once, and at the end refreshes a watch's owner cache with
    /// exactly the sockets seen (so the cache never outgrows the table).
    /// </summary>
    internal sealed class SocketEntryBuilder
    {
        private readonly Dictionary<AddressValue, string> _addressText = new Dictionary<AddressValue, string>();
        private readonly ProcessNameCache _names;
        private readonly OwnerCache? _cache;
        private readonly Dictionary<ulong, SocketOwnerList>? _seen;
        private readonly List<(ulong Inode, OwnerBook Book, int Slot)>? _pending;

        internal SocketEntryBuilder(ProcessNameCache names, OwnerCache? cache)
        {
            _names = names;
            _cache = cache;
            if (cache is not null)
            {
                _seen = new Dictionary<ulong, SocketOwnerList>();
                _pending = new List<(ulong, OwnerBook, int)>();
            }
        }

        /// <summary>Entries for rows whose owner cannot be known (sockets already destroyed).</summary>
        internal static List<SocketEntry> WithoutOwners(List<SocketRecord> rows)
        {
            var builder = new SocketEntryBuilder(new ProcessNameCache(null), null);
            var entries = new List<SocketEntry>(rows.Count);
            foreach (SocketRecord row in rows)
            {
                entries.Add(builder.Build(in row));
            }

            return entries;
        }

        /// <summary>An entry whose owner is unknown (no socket file, or hidden).</summary>
        internal SocketEntry Build(in SocketRecord row) => Make(in row, EntryOwner.None);

        /// <summary>An entry whose complete owner list is already known (from the watch's cache).</summary>
        internal SocketEntry Build(in SocketRecord row, SocketOwnerList owners)
        {
            if (owners.Count == 0)
            {
                return Build(in row);
            }

            if (_seen is not null)
            {
                _seen[row.Inode] = owners;
            }

            SocketHolder lowest = owners.Holder(0);
            return Make(in row, new EntryOwner(lowest.ProcessId, lowest.ProcessName, null, 0, owners));
        }

        /// <summary>An entry whose lowest-pid owner is known, and whose complete list <paramref name="book"/> holds.</summary>
        internal SocketEntry Build(in SocketRecord row, int processId, OwnerBook book, int slot)
        {
            _pending?.Add((row.Inode, book, slot));
            return Make(in row, new EntryOwner(processId, _names.NameOf(processId), book, slot, null));
        }

        /// <summary>Call once every entry is built (the scan is over): hands what was seen to the owner cache.</summary>
        internal void Finish()
        {
            if (_cache is null || _seen is null || _pending is null)
            {
                return;
            }

            foreach ((ulong inode, OwnerBook book, int slot) in _pending)
            {
                _seen[inode] = book.OwnersOf(slot);
            }

            _cache.Replace(_seen);
        }

        private SocketEntry Make(in SocketRecord row, in EntryOwner owner)
        {
            string? user = row.Inode != 0 ? UserNames.Lookup(row.Uid) : null;
            return new SocketEntry(in row, Text(row.LocalAddress), Text(row.RemoteAddress), in owner, user);
        }

        private string Text(AddressValue address)
        {
            if (!_addressText.TryGetValue(address, out string? text))
            {
                text = address.ToString();
                _addressText.Add(address, text);
            }

            return text;
        }
    }
}
