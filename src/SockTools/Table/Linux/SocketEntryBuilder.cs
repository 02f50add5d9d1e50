using System.Collections.Generic;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Turns rows plus owners into <see cref="SocketEntry"/> objects for one read: formats each distinct
    /// address once and reads each owner's name once.
    /// </summary>
    internal sealed class SocketEntryBuilder
    {
        private readonly Dictionary<AddressValue, string> _addressText = new Dictionary<AddressValue, string>();
        private readonly ProcessNameCache _names;

        internal SocketEntryBuilder(ProcessNameCache names) => _names = names;

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
