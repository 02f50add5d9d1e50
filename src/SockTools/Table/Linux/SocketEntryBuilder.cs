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
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();
        private readonly OwnerCache? _cache;
        private readonly Dictionary<ulong, int>? _seen;

        internal SocketEntryBuilder(OwnerCache? cache)
        {
            _cache = cache;
            _seen = cache is null ? null : new Dictionary<ulong, int>();
        }

        internal SocketEntry Build(in SocketRecord row, int? owner)
        {
            string? processName = null;
            if (owner is int pid)
            {
                if (_seen is not null)
                {
                    _seen[row.Inode] = pid;
                }

                if (!_names.TryGetValue(pid, out processName))
                {
                    if (_cache is null || !_cache.TryGetName(pid, out processName))
                    {
                        processName = ProcessNames.Read(pid);
                    }

                    _names.Add(pid, processName);
                }
            }

            string? user = row.Inode != 0 ? UserNames.Lookup(row.Uid) : null;
            return new SocketEntry(in row, Text(row.LocalAddress), Text(row.RemoteAddress), owner, processName, user);
        }

        /// <summary>Call once every entry is built: hands what was seen to the owner cache.</summary>
        internal void Finish()
        {
            if (_cache is not null && _seen is not null)
            {
                _cache.Replace(_seen, _names);
            }
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
