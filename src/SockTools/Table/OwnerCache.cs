using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>
    /// Owners already found by an earlier read, so a poll loop (Watch-SockState) scans /proc/*/fd only
    /// for sockets it has not seen before. Refreshed on every read to hold live sockets only: flat
    /// memory however long the watch runs. A socket's owners are those of the read that first saw it.
    /// </summary>
    internal sealed class OwnerCache
    {
        private Dictionary<ulong, SocketOwnerList> _ownersByInode = new Dictionary<ulong, SocketOwnerList>();

        internal bool TryGetOwners(ulong inode, out SocketOwnerList owners) => _ownersByInode.TryGetValue(inode, out owners!);

        /// <summary>Replaces the cache with what the latest read found.</summary>
        internal void Replace(Dictionary<ulong, SocketOwnerList> ownersByInode) => _ownersByInode = ownersByInode;
    }
}
