using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>
    /// Owners already found by an earlier read, so a poll loop (Watch-SockState) scans /proc/*/fd only
    /// for sockets it has not seen before. Refreshed on every read to hold live sockets only: flat
    /// memory however long the watch runs.
    /// </summary>
    internal sealed class OwnerCache
    {
        private Dictionary<ulong, int> _processByInode = new Dictionary<ulong, int>();
        private Dictionary<int, string?> _nameByProcess = new Dictionary<int, string?>();

        internal bool TryGetProcess(ulong inode, out int processId) => _processByInode.TryGetValue(inode, out processId);

        internal bool TryGetName(int processId, out string? name) => _nameByProcess.TryGetValue(processId, out name);

        /// <summary>Replaces the cache with what the latest read found.</summary>
        internal void Replace(Dictionary<ulong, int> processByInode, Dictionary<int, string?> nameByProcess)
        {
            _processByInode = processByInode;
            _nameByProcess = nameByProcess;
        }
    }
}
